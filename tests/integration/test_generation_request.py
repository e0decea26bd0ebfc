"""Generation settings reach the server exactly, through real HTTP; unset ones are not sent."""

from __future__ import annotations

import pytest

from opchat_gui.chat import ChatService
from opchat_gui.chat.provider_service import ProviderService
from opchat_gui.config.keystore import NO_KEYRING_ENV, SecretStore
from opchat_gui.config.provider_entries import ProviderConfig, ProviderEntry
from opchat_gui.store import History
from tests.conftest import wait_until

SAMPLING = ("temperature", "top_p", "max_tokens", "seed", "stop", "presence_penalty",
            "frequency_penalty", "reasoning_effort", "chat_template_kwargs", "think")


@pytest.fixture
def setup(tmp_path, monkeypatch, openai_server):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")
    config = ProviderConfig.load(tmp_path, SecretStore(tmp_path))
    history = History.open(tmp_path / "history.sqlite3")
    providers = ProviderService(config)
    service = ChatService(history, providers.target_for)
    yield config, service
    history.close()


def send(run, service, conversation_id, text="hello"):
    assert service.send(conversation_id, text)
    run(wait_until(lambda: not service.is_streaming(conversation_id), what="the reply"))


def test_defaults_and_overrides_reach_the_server_exactly(setup, openai_server, run):
    config, service = setup
    config.put(ProviderEntry("local", "Local", "openai", openai_server.url, "demo-model",
                             generation={"temperature": 0.2, "seed": 42, "top_p": 0.5}))
    conversation = service.history.create_conversation(provider="local", model="demo-model")
    assert service.set_generation(conversation.id, {
        "temperature": 1.3, "max_tokens": 64, "stop": ["\n\n", "User:"],
        "presence_penalty": -0.5, "frequency_penalty": 1.0, "reasoning_effort": "low",
        "extra": {"chat_template_kwargs": {"enable_thinking": False}, "think": False}})
    send(run, service, conversation.id)
    body = openai_server.requests[-1].json
    assert {k: body[k] for k in SAMPLING} == {
        "temperature": 1.3, "top_p": 0.5, "max_tokens": 64, "seed": 42,
        "stop": ["\n\n", "User:"], "presence_penalty": -0.5, "frequency_penalty": 1.0,
        "reasoning_effort": "low", "chat_template_kwargs": {"enable_thinking": False},
        "think": False}
    assert body["model"] == "demo-model" and body["stream"] is True


def test_server_default_is_not_sent(setup, openai_server, run):
    config, service = setup
    config.put(ProviderEntry("local", "Local", "openai", openai_server.url, "demo-model"))
    conversation = service.history.create_conversation(provider="local", model="demo-model")
    send(run, service, conversation.id)
    body = openai_server.requests[-1].json
    assert not set(SAMPLING) & set(body)
    assert set(body) == {"model", "messages", "stream", "stream_options"}


def test_clearing_an_override_falls_back_to_the_provider_default(setup, openai_server, run):
    config, service = setup
    config.put(ProviderEntry("local", "Local", "openai", openai_server.url, "demo-model",
                             generation={"temperature": 0.2}))
    conversation = service.history.create_conversation(provider="local", model="demo-model")
    service.set_generation(conversation.id, {"temperature": 0.9})
    send(run, service, conversation.id, "one")
    service.set_generation(conversation.id, {})
    send(run, service, conversation.id, "two")
    chats = [r for r in openai_server.requests if r.path.endswith("/chat/completions")]
    assert [r.json["temperature"] for r in chats] == [0.9, 0.2]

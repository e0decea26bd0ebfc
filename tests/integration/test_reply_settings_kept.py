"""The settings a reply was made with are kept with it (its `meta`), match what the server
received, survive the JSON export and import, and never include a key (real HTTP, a real
SQLite file)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from opchat_gui.chat import ChatService
from opchat_gui.chat.provider_service import ProviderService
from opchat_gui.config.keystore import NO_KEYRING_ENV, SecretStore
from opchat_gui.config.provider_entries import ProviderConfig, ProviderEntry
from opchat_gui.core.messages import request_info
from opchat_gui.store import History
from opchat_gui.store.export import export_document, import_records, to_markdown, validate
from tests.conftest import chat_requests, wait_until

OVERRIDES = {"temperature": 1.3, "max_tokens": 64, "stop": ["\n\n", "User:"],
             "reasoning_effort": "low",
             "extra": {"chat_template_kwargs": {"enable_thinking": False}}}


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")
    config = ProviderConfig.load(tmp_path, SecretStore(tmp_path))
    history = History.open(tmp_path / "history.sqlite3")
    service = ChatService(history, ProviderService(config).target_for)
    yield config, service
    history.close()


def send(run, service, conversation_id, text="hello"):
    assert service.send(conversation_id, text)
    run(wait_until(lambda: not service.is_streaming(conversation_id), what="the reply"))
    return service.messages(conversation_id)[-1]


def stored_meta(tmp_path, message_id: int) -> dict:
    with sqlite3.connect(tmp_path / "history.sqlite3") as other:
        (meta,) = other.execute("SELECT meta FROM messages WHERE id = ?",
                                (message_id,)).fetchone()
    return json.loads(meta)


def test_the_settings_sent_are_stored_with_the_reply(setup, openai_server, run, tmp_path):
    config, service = setup
    config.put(ProviderEntry("local", "Local", "openai", openai_server.url, "demo-model",
                             generation={"temperature": 0.2, "seed": 42}))
    config.secrets.set("api_key:local", "sk-secret-value")
    conversation = service.history.create_conversation(provider="local", model="demo-large")
    assert service.set_generation(conversation.id, OVERRIDES)
    reply = send(run, service, conversation.id)
    meta = stored_meta(tmp_path, reply.id)
    assert meta["request"] == {
        "label": "Local · demo-large", "model": "demo-large", "kind": "openai",
        "settings": {"temperature": 1.3, "seed": 42, "max_tokens": 64,
                     "stop": ["\n\n", "User:"], "reasoning_effort": "low",
                     "extra": {"chat_template_kwargs": {"enable_thinking": False}}}}
    body = chat_requests(openai_server)[-1].json
    settings = meta["request"]["settings"]
    assert {k: body[k] for k in settings if k != "extra"} == {
        k: v for k, v in settings.items() if k != "extra"}  # what was sent, exactly
    assert body["chat_template_kwargs"] == {"enable_thinking": False}
    assert "sk-secret-value" not in json.dumps(meta) and "127.0.0.1" not in json.dumps(meta)

    service.set_generation(conversation.id, {})  # the next reply: the defaults only
    second = send(run, service, conversation.id, "again")
    assert request_info(second)["settings"] == {"temperature": 0.2, "seed": 42}
    assert request_info(service.history.message(reply.id))["settings"]["temperature"] == 1.3


def test_server_defaults_are_kept_as_none_sent(setup, openai_server, run):
    config, service = setup
    config.put(ProviderEntry("local", "Local", "openai", openai_server.url, "demo-model"))
    conversation = service.history.create_conversation(provider="local", model="demo-model")
    reply = send(run, service, conversation.id)
    assert request_info(reply) == {"label": "Local · demo-model", "model": "demo-model",
                                   "kind": "openai", "settings": {}}


def test_an_ai_engine_reply_keeps_its_site_and_no_settings(setup, server, run):
    config, service = setup
    config.put(ProviderEntry("site", "My site", "aiengine", server.url, "",
                             generation={"temperature": 0.2}))
    conversation = service.history.create_conversation(provider="site")
    reply = send(run, service, conversation.id)
    assert request_info(reply) == {"label": "My site", "model": "", "kind": "aiengine",
                                   "settings": {}}
    assert "temperature" not in server.requests[-1].body.decode()


def test_the_json_export_carries_it_and_an_import_keeps_it(setup, openai_server, run,
                                                           tmp_path):
    config, service = setup
    config.put(ProviderEntry("local", "Local", "openai", openai_server.url, "demo-model"))
    conversation = service.history.create_conversation(provider="local", model="demo-model")
    service.set_generation(conversation.id, {"temperature": 0.7, "top_p": 0.95})
    send(run, service, conversation.id)
    document = json.loads(json.dumps(export_document(service.history, [conversation.id])))
    [item] = [m for m in document["conversations"][0]["messages"] if m["role"] == "assistant"]
    assert json.loads(item["meta"])["request"]["settings"] == {"temperature": 0.7,
                                                               "top_p": 0.95}
    markdown = to_markdown(service.history.conversation(conversation.id),
                           service.messages(conversation.id))
    assert "_Made with Local · demo-model · temperature 0.7, top\\_p 0.95_" in markdown
    assert markdown.count("Made with") == 1  # the reply's, not the question's
    other = History.open(tmp_path / "other.sqlite3")
    try:
        import_records(other, validate(document))
        [imported] = other.conversations()
        [answer] = [m for m in other.messages(imported.id) if m.role == "assistant"]
        assert request_info(answer)["settings"] == {"temperature": 0.7, "top_p": 0.95}
    finally:
        other.close()

"""Trimming the context so it fits: what the server receives, through real HTTP.

The local server imitates llama.cpp (`server=llamacpp,ctx=N`): it tells its context in
/props, counts exactly in /tokenize, and refuses a longer prompt with its own error.
"""

from __future__ import annotations

import pytest

from opchat_gui.chat import ChatService
from opchat_gui.chat.provider_service import ProviderService
from opchat_gui.config.keystore import NO_KEYRING_ENV, SecretStore
from opchat_gui.config.provider_entries import ProviderConfig, ProviderEntry
from opchat_gui.core.errors import ErrorKind
from opchat_gui.demo.openai_server import prompt_tokens
from opchat_gui.store import History, MessageState
from tests.conftest import wait_until

CTX = 600
SYSTEM = "You are terse."


@pytest.fixture
def trim():
    return {"mode": "fit", "last": 20}


@pytest.fixture
def make(tmp_path, monkeypatch, trim):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")
    config = ProviderConfig.load(tmp_path, SecretStore(tmp_path))
    history = History.open(tmp_path / "history.sqlite3")
    providers = ProviderService(config)
    service = ChatService(history, providers.target_for,
                          context_source=providers.context_source,
                          context_trim=lambda: (trim["mode"], trim["last"]))

    def build(url: str, context_length: int = 0) -> tuple[ChatService, int]:
        config.put(ProviderEntry("local", "Local", "openai", url, "demo-model",
                                 context_length=context_length))
        conversation = history.create_conversation(provider="local", model="demo-model",
                                                   system_prompt=SYSTEM)
        for n in range(12):  # about 12 * 2 * 110 of the server's tokens: far over CTX
            _user, reply = history.add_exchange(conversation.id, f"question {n} " + "word " * 50)
            history.update_message(reply.id, content=f"answer {n} " + "word " * 50,
                                   state=MessageState.DONE)
        return service, conversation.id

    yield build
    history.close()


def send(run, service, conversation_id, text="the new message"):
    assert service.send(conversation_id, text)
    run(wait_until(lambda: not service.is_streaming(conversation_id), what="the reply"))
    return service.messages(conversation_id)[-1]


def test_oldest_turns_are_dropped_so_the_server_accepts_it(make, openai_server, run):
    service, cid = make(openai_server.play_url("demo", server="llamacpp", ctx=CTX))
    reply = send(run, service, cid)
    assert reply.state == MessageState.DONE, reply.error
    body = openai_server.requests[-1].json
    messages = body["messages"]
    assert messages[0] == {"role": "system", "content": SYSTEM}
    assert messages[-1] == {"role": "user", "content": "the new message"}
    assert messages[1]["role"] == "user" and 3 < len(messages) < 26
    assert prompt_tokens(body) <= CTX  # the server's own count
    # The newest turns were kept, in order, and nothing between them is missing.
    history = [m for m in service.messages(cid)[:-2]]
    kept = [m["content"] for m in messages[1:-1]]
    assert kept == [m.content for m in history[-len(kept):]]


def test_the_estimate_names_the_first_message_sent(make, openai_server, run):
    service, cid = make(openai_server.play_url("demo", server="llamacpp", ctx=CTX))
    service.context.estimate(cid)  # asks the server for its context length
    run(wait_until(lambda: service.context.estimate(cid).limit == CTX, what="n_ctx"))
    send(run, service, cid)  # calibrated by /tokenize and then by usage
    estimate = service.context.estimate(cid)
    assert estimate.limit == CTX and estimate.dropped > 0
    first = next(m for m in service.messages(cid) if m.id == estimate.first_sent)
    assert first.role == "user"
    assert estimate.tokens <= CTX


def test_with_trimming_off_the_server_overflow_is_shown(make, openai_server, run, trim):
    trim["mode"] = "off"
    service, cid = make(openai_server.play_url("demo", server="llamacpp", ctx=CTX))
    reply = send(run, service, cid)
    assert reply.state == MessageState.FAILED
    assert reply.failure is not None and reply.failure.kind == ErrorKind.CONTEXT_OVERFLOW
    assert len(openai_server.requests[-1].json["messages"]) == 26  # everything was sent
    assert service.messages(cid)[-2].content == "the new message"  # nothing is lost


def test_last_n_messages(make, openai_server, run, trim):
    trim.update(mode="last", last=4)
    service, cid = make(openai_server.url)
    send(run, service, cid)
    messages = openai_server.requests[-1].json["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[1]["content"].startswith("question 11 ")


def test_a_context_length_set_for_the_provider_is_used(make, openai_server, run):
    service, cid = make(openai_server.url, context_length=500)  # a server that does not say
    send(run, service, cid)
    first = openai_server.requests[-1].json["messages"]
    assert 3 < len(first) < 26
    assert service.context.estimate(cid).limit == 500

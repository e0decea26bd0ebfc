"""The status line's "≈ N / M tokens" and the transcript's marker, in the real window."""

from __future__ import annotations

import re

import pytest
from PySide6.QtTest import QTest

from opchat_gui.config.keystore import NO_KEYRING_ENV
from opchat_gui.store import MessageState
from tests.conftest import wait_until

CTX = 700


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")


def shown_tokens(window) -> tuple[int, int] | None:
    match = re.match(r"≈ ([\d,\s ]+) / ([\d,\s ]+) tokens", window.context_status.text())
    if match is None:
        return None
    return tuple(int(re.sub(r"\D", "", group)) for group in match.groups())


def test_status_line_counts_the_conversation_and_the_typed_message(open_app, server,
                                                                   openai_server, run):
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Local", "kind": "openai", "model": "demo-model",
                                    "url": openai_server.play_url("demo", server="llamacpp",
                                                                  ctx=CTX)})
    session.providers.set_default(entry.id)
    history = session.history
    talk = history.create_conversation("Long", provider=entry.id, model="demo-model")
    for n in range(8):
        _user, reply = history.add_exchange(talk.id, f"question {n} " + "word " * 40)
        history.update_message(reply.id, content=f"answer {n} " + "word " * 40,
                               state=MessageState.DONE)
    window = session.window
    window.reload()
    window.open_conversation(talk.id)
    run(wait_until(lambda: shown_tokens(window) is not None, what="≈ N / M tokens"))
    before, limit = shown_tokens(window)
    assert limit == CTX
    assert "older messages not sent" in window.context_status.text()
    marker = window.transcript.context_marker
    assert marker.message_id is not None and marker.rect() is not None
    first = window.service.messages(talk.id)
    assert next(m for m in first if m.id == marker.message_id).role == "user"

    QTest.keyClicks(window.composer, "word " * 30)
    run(wait_until(lambda: shown_tokens(window)[0] != before, what="the typed message"))
    assert shown_tokens(window)[0] > 0

"""The status line's "≈ N / M tokens" and the transcript's marker, in the real window."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.config.keystore import NO_KEYRING_ENV
from opchat_gui.store import MessageState
from tests.conftest import wait_until

CTX = 700


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")


def shown_tokens(window) -> tuple[int, int] | None:
    match = re.search(r"≈ ([\d,\s ]+) / ([\d,\s ]+) tokens", window.context_status.text())
    if match is None:
        return None
    return tuple(int(re.sub(r"\D", "", group)) for group in match.groups())


def send_and_wait_for_usage(session, run, text: str) -> None:
    """Type `text`, Enter, and wait for the reply to end with its usage in the status line."""
    window = session.window
    QTest.keyClicks(window.composer, text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: window.current_id is not None
                   and not session.service.is_streaming(window.current_id)
                   and window.stream_status.text().startswith("Last reply:"),
                   what="the reply and its usage"))


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


def test_last_reply_usage_and_next_request_estimate_agree(open_app, server, openai_server,
                                                          run):
    """Issue 14: the status line showed "Tokens: … = 131" beside "≈ 187 tokens". The left
    is what the server reported for the last reply, the right the next request; the next
    request holds all the last one sent and the reply, so it is never estimated smaller."""
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Local", "kind": "openai", "model": "demo-model",
                                    "url": openai_server.play_url("demo", server="llamacpp",
                                                                  ctx=8192)})
    session.providers.set_default(entry.id)
    window = session.window
    window.new_conversation()
    meter = session.service.context
    for question in ("Explain what an event loop is, in three short paragraphs.",
                     "And now a table, please, comparing three of them."):
        send_and_wait_for_usage(session, run, question)
        reply = session.service.messages(window.current_id)[-1]
        usage = json.loads(reply.usage)
        run(wait_until(lambda: shown_tokens(window) is not None, what="the estimate"))
        left = re.sub(r"\D", "", window.stream_status.text().rsplit("=", 1)[1])
        assert int(left) == usage["prompt_tokens"] + usage["completion_tokens"]
        assert "prompt" in window.stream_status.text()
        assert window.context_status.text().startswith("Next request ≈")
        tokens, limit = shown_tokens(window)
        assert limit == 8192
        assert tokens >= usage["prompt_tokens"] + usage["completion_tokens"]
    # the estimate is corrected by the usage the server reported
    assert meter.calibration.ratios, "no usage was folded into the estimate"


def test_a_reply_that_thought_says_its_count_includes_the_thinking(open_app, server,
                                                                   openai_server, run):
    """Thinking is counted in the completion but never sent back: the next request can be
    the smaller number, and the status line says why."""
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Local", "kind": "openai", "model": "demo-model",
                                    "url": openai_server.play_url("think", tokens=400)})
    session.providers.set_default(entry.id)
    window = session.window
    window.new_conversation()
    send_and_wait_for_usage(session, run, "Think first, then answer.")
    reply = session.service.messages(window.current_id)[-1]
    assert reply.reasoning  # it thought
    usage = json.loads(reply.usage)
    assert "(thinking included)" in window.stream_status.text()
    run(wait_until(lambda: window.context_status.text().startswith("Next request ≈"),
                   what="the estimate"))
    shown = int(re.sub(r"\D", "", window.context_status.text()))
    assert shown < usage["prompt_tokens"] + usage["completion_tokens"]  # thinking stays out

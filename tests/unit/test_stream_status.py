"""The status line while a reply streams, token usage after it, and end-of-reply markers."""

from __future__ import annotations

import json

from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest

from opchat_gui.store import MessageState
from opchat_gui.ui.transcript.status import StreamStatus, parse_usage, reply_outcome
from tests.conftest import wait_until


def send(window, text: str) -> None:
    QTest.keyClicks(window.composer, text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)


def test_status_line_updates_while_streaming_and_clears_after(open_app, server, run):
    session = open_app("--url", server.play_url("slow", delay=0.03))
    window = session.window
    status = window.stream_status
    assert status.text() == ""
    send(window, "Stream slowly")
    seen: list[str] = []

    async def scenario():
        await wait_until(lambda: "Streaming" in status.text(), what="the status line")
        seen.append(status.text())
        await wait_until(lambda: status.text() != seen[0] and "Streaming" in status.text(),
                         what="the status line to update")
        seen.append(status.text())
        await wait_until(lambda: not session.service.is_streaming(window.current_id),
                         what="the reply to finish")

    run(scenario())
    assert "characters/s" in seen[0] and "Esc" in seen[0]
    # Later texts count more characters than the first (the line grows with the reply).
    count = [int("".join(ch for ch in text.split("·")[2] if ch.isdigit())) for text in seen]
    assert count[1] >= count[0]
    assert "Streaming" not in status.text()  # the live part clears
    assert not status._timer.isActive()
    # The local AI Engine server reports usage in its `end` event; it shows after the reply.
    reply = session.service.messages(window.current_id)[-1]
    usage = json.loads(reply.usage)
    assert set(usage) == {"prompt_tokens", "completion_tokens"}
    assert status.text() == (f"Last reply: {QLocale().toString(usage['prompt_tokens'])} prompt"
                             f" + {QLocale().toString(usage['completion_tokens'])} completion"
                             f" = {QLocale().toString(sum(usage.values()))} tokens")
    assert "reported" in status.toolTip()


def test_status_line_says_stopped_when_no_usage_is_reported(open_app, server, run):
    session = open_app("--url", server.play_url("slow", delay=0.05))
    window = session.window
    send(window, "Stop me")
    run(wait_until(lambda: "Streaming" in window.stream_status.text(), what="the status"))
    QTest.keyClick(window.composer, Qt.Key.Key_Escape)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    assert session.service.messages(window.current_id)[-1].usage == ""
    # No token count; how the reply ended stays until the next one (issue 16).
    assert window.stream_status.text() == "■ Stopped  ·  Ctrl+R retries"


def test_usage_belongs_to_its_conversation(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send(window, "Count my tokens")
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    text = window.stream_status.text()
    assert text.startswith("Last reply:")
    conversation_id = window.current_id
    window.new_conversation()
    assert window.stream_status.text() == ""
    window.open_conversation(conversation_id)
    assert window.stream_status.text() == text


def test_usage_numbers_follow_the_locale():
    status = StreamStatus()
    assert status.usage_text({"prompt_tokens": 1200, "completion_tokens": 34,
                              "total_tokens": 1234}) == (
        f"Last reply: {QLocale().toString(1200)} prompt + 34 completion ="
        f" {QLocale().toString(1234)} tokens")


def test_parse_usage_accepts_only_counts():
    assert parse_usage("") == {}
    assert parse_usage("{broken") == {}
    assert parse_usage("[1]") == {}
    assert parse_usage('{"completion_tokens": -3, "total_tokens": "9"}') == {}
    assert parse_usage('{"prompt_tokens": 2, "completion_tokens": 3}') == {
        "prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5}
    assert StreamStatus().usage_text({"total_tokens": 7}) == "Last reply: 7 tokens"


def test_a_cut_off_reply_gets_a_clear_marker(open_app, server, run):
    session = open_app("--url", server.play_url("cutoff", after=2))
    window = session.window
    send(window, "Cut me off")
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    reply = session.service.messages(window.current_id)[-1]
    assert reply_outcome(reply) == "cut_off"
    assert "✂ Cut off" in window.transcript.toPlainText()
    assert "Retry (Ctrl+R)" in window.transcript.toPlainText()


def test_a_failed_reply_gets_a_clear_marker(open_app, server, run):
    session = open_app("--url", server.play_url("status", status=500))
    window = session.window
    send(window, "Fail please")
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    failed = session.service.messages(window.current_id)[-1]
    assert failed.state == MessageState.FAILED and reply_outcome(failed) == "failed"
    text = window.transcript.toPlainText()
    assert "✖ Failed" in text and "Retry (Ctrl+R)" in text

"""The whole window, built as main() builds it, driven with the keyboard only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.store import MessageState
from tests.conftest import wait_until


def type_and_send(window, text: str) -> None:
    QTest.keyClicks(window.composer, text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)


def test_type_enter_reply_streams_then_finishes(open_app, server, run):
    session = open_app("--url", server.play_url("slow", delay=0.01))
    window = session.window
    assert window.composer.hasFocus() or window.focusWidget() is window.composer
    type_and_send(window, "What is a qasync loop?")
    assert window.composer.toPlainText() == ""

    async def scenario():
        await wait_until(lambda: "You asked" in window.transcript.toPlainText(),
                         what="the first chunk")
        first = len(window.transcript.toPlainText())
        await wait_until(lambda: len(window.transcript.toPlainText()) > first + 20,
                         what="the reply to grow")
        await wait_until(lambda: not session.service.is_streaming(window.current_id),
                         what="the reply to finish")

    run(scenario())
    text = window.transcript.toPlainText()
    assert "What is a qasync loop?" in text
    assert "Point the app at a real AI Engine site" in text  # the reply's last words
    [user, reply] = session.service.messages(window.current_id)
    assert (user.role, user.content) == ("user", "What is a qasync loop?")
    assert reply.state == MessageState.DONE and reply.content.endswith("steps aside.")


def test_shift_enter_adds_a_newline(open_app, server):
    window = open_app("--url", server.url).window
    QTest.keyClicks(window.composer, "line one")
    QTest.keyClick(window.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(window.composer, "line two")
    assert window.composer.toPlainText() == "line one\nline two"
    assert window.current_id is None  # nothing was sent


def test_esc_stops_and_keeps_the_partial_reply(open_app, server, run):
    session = open_app("--url", server.play_url("slow", delay=0.05))
    window = session.window
    type_and_send(window, "Tell me a long story")

    async def scenario():
        await wait_until(lambda: "You asked" in window.transcript.toPlainText())
        QTest.keyClick(window.composer, Qt.Key.Key_Escape)
        await wait_until(lambda: not session.service.is_streaming(window.current_id),
                         what="the stream to stop")

    run(scenario())
    reply = session.service.messages(window.current_id)[-1]
    assert reply.state == MessageState.STOPPED
    assert reply.content.startswith("You asked")
    assert not reply.content.endswith("steps aside.")
    assert "Stopped" in window.transcript.toPlainText()
    assert window.transcript.toPlainText().count("You asked") == 1


def test_history_and_window_come_back_in_a_new_window(open_app, server, run):
    first = open_app("--url", server.url)
    type_and_send(first.window, "Remember me")
    run(wait_until(lambda: not first.service.is_streaming(first.window.current_id)))
    first.window.resize(720, 520)  # within the 800x600 offscreen screen
    conversation_id = first.window.current_id
    first.window.close()
    run(first.close())

    second = open_app("--url", server.url)
    assert second.window.current_id == conversation_id
    assert "Remember me" in second.window.transcript.toPlainText()
    assert "steps aside." in second.window.transcript.toPlainText()
    assert second.window.model.rowCount() == 1
    assert (second.window.width(), second.window.height()) == (720, 520)


def test_ctrl_n_and_ctrl_page_keys_move_between_conversations(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    for question in ("first question", "second question"):
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert window.current_id is None and window.transcript.toPlainText() == ""
        type_and_send(window, question)
        run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    newest = window.current_id
    assert window.model.rowCount() == 2
    QTest.keyClick(window.composer, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current_id != newest
    assert "first question" in window.transcript.toPlainText()
    QTest.keyClick(window.composer, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.current_id == newest
    assert "second question" in window.transcript.toPlainText()


def test_error_shows_inline_and_ctrl_r_retries(open_app, server, run):
    session = open_app("--url", server.play_url("error", after=2, message="upstream 500"))
    window = session.window
    type_and_send(window, "Will this fail?")
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    text = window.transcript.toPlainText()
    assert "The server reported an error: upstream 500." in text
    assert "Retry (Ctrl+R)" in text
    reply = session.service.messages(window.current_id)[-1]
    assert reply.state == MessageState.FAILED and reply.content  # partial reply kept

    requests_before = len(server.requests)
    QTest.keyClick(window.composer, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    run(wait_until(lambda: len(server.requests) > requests_before, what="the retry request"))
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    assert server.requests[-1].json["newMessage"] == "Will this fail?"


def test_unreachable_site_says_so_with_retry(open_app, run):
    session = open_app("--url", "http://127.0.0.1:9")
    window = session.window
    type_and_send(window, "hello?")
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    text = window.transcript.toPlainText()
    assert "Could not reach the server (http://127.0.0.1:9: connection refused)" in text
    assert "Retry (Ctrl+R)" in text
    [user, reply] = session.service.messages(window.current_id)
    assert user.content == "hello?" and reply.state == MessageState.FAILED


def test_demo_mode_is_labelled_and_answers(open_app, run):
    session = open_app("--demo")
    window = session.window
    assert "demo" in window.windowTitle().lower()
    assert window.banner.isVisibleTo(window) and "Demo mode" in window.banner.text()
    type_and_send(window, "hi")
    run(wait_until(lambda: not session.service.is_streaming(window.current_id), timeout=30))
    text = window.transcript.toPlainText()
    assert "You asked: hi" in text and "**hi**" not in text  # the Markdown is rendered
    assert session.service.messages(window.current_id)[-1].content.startswith(
        "You asked: **hi**")


def test_default_provider_failure_names_the_shut_down_service(open_app, run, monkeypatch):
    # Point the preset's own URL at a closed local port: the real site must never be hit.
    from opchat_gui.providers import Opchatgpts

    monkeypatch.setattr(Opchatgpts, "url", "http://127.0.0.1:9")
    session = open_app()
    window = session.window
    type_and_send(window, "is anyone there?")
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    text = window.transcript.toPlainText()
    assert "Could not reach the Opchatgpts service" in text
    assert "--demo" in text and "Retry (Ctrl+R)" in text

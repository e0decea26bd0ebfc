"""The header (title, the provider button that opens the picker, the action buttons) and
the status line across conversations: the real window over the local AI Engine server."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.ui.keys import keymap
from tests.conftest import wait_until


def send_and_finish(session, run, text: str) -> None:
    window = session.window
    window.composer.setPlainText(text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: window.current_id is not None
                   and not session.service.is_streaming(window.current_id)))


def test_header_names_the_target_and_its_button_opens_the_picker(open_app, server, run):
    session = open_app("--url", server.play_url("echo", delay=0.001))
    window = session.window
    send_and_finish(session, run, "Hello")
    header = window.header
    assert header.title.text() == "Hello"
    assert f"AI Engine · 127.0.0.1:{server.port}" in header.target.text()
    assert "Ctrl+M" in header.target.toolTip()  # the key as bound, beside what it does
    QTest.mouseClick(header.target, Qt.MouseButton.LeftButton)
    assert window.picker is not None and window.picker.isVisible()
    window.picker.reject()
    for action, button in header.buttons.items():
        assert button.isVisible()
        assert keymap.display(keymap.keys_for(action)) in button.toolTip()


def test_header_pin_button_pins(open_app, server, run):
    session = open_app("--url", server.play_url("echo", delay=0.001))
    window = session.window
    send_and_finish(session, run, "Hello")
    QTest.mouseClick(window.header.buttons["toggle_pin"], Qt.MouseButton.LeftButton)
    assert session.service.conversation(window.current_id).pinned


def test_status_message_is_cleared_when_switching(open_app, server, run):
    session = open_app("--url", server.play_url("echo", delay=0.001))
    window = session.window
    send_and_finish(session, run, "First")
    first = window.current_id
    window.new_conversation()
    send_and_finish(session, run, "Second")
    window.statusBar().showMessage("Exported to /tmp/x.md", 0)
    QTest.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.current_id == first
    assert window.statusBar().currentMessage() == ""


def test_stopped_stays_in_the_status_line_until_the_next_reply(open_app, server, run):
    session = open_app("--url", server.play_url("slow", delay=0.05))
    window = session.window
    window.composer.setPlainText("Tell me a long story")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: "You asked" in window.transcript.toPlainText()))
    QTest.keyClick(window.composer, Qt.Key.Key_Escape)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    stopped = window.current_id
    assert "Stopped" in window.stream_status.text()
    assert "Ctrl+R" in window.stream_status.text()
    window.transcript.verticalScrollBar().setValue(0)  # scrolled away from the marker
    assert "Stopped" in window.stream_status.text()
    window.new_conversation()
    assert "Stopped" not in window.stream_status.text()  # it belongs to the other one
    window.open_conversation(stopped)
    assert "Stopped" in window.stream_status.text()
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # retry
    run(wait_until(lambda: "Stopped" not in window.stream_status.text(),
                   what="the next reply to clear it"))

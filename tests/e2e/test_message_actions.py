"""Message actions from the keyboard, on the real window, server and history file."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from opchat_gui.store import History, MessageState
from opchat_gui.store.schema import SCHEMA_VERSION
from tests.conftest import wait_until

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def send_and_wait(session, run, text: str) -> None:
    window = session.window
    QTest.keyClicks(window.composer, text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))


def test_ctrl_r_regenerates_a_finished_reply_and_keeps_the_old_one(open_app, server, run,
                                                                   data_dir):
    session = open_app("--url", server.url)
    window = session.window
    send_and_wait(session, run, "first try")
    [_user, reply] = session.service.messages(window.current_id)
    assert reply.state == MessageState.DONE
    requests = len(server.requests)
    QTest.keyClick(window.composer, Qt.Key.Key_R, CTRL)
    run(wait_until(lambda: len(server.requests) > requests, what="the regenerate request"))
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    messages = session.service.messages(window.current_id)
    assert [m.id for m in messages] == [_user.id, reply.id]  # same reply, redone
    assert messages[-1].state == MessageState.DONE
    assert session.service.versions(reply.id) == [reply.content]  # the old one is kept
    text = window.transcript.toPlainText()
    assert "Version 2 of 2" in text and "‹ Earlier" in text
    # The earlier version is reachable from the transcript, and back again.
    window.transcript.show_version(reply.id, 0)
    assert "Version 1 of 2" in window.transcript.toPlainText()
    window.transcript.show_version(reply.id, None)
    assert "Version 2 of 2" in window.transcript.toPlainText()
    # and it is on disk, in the schema's newest version
    history = History.open(data_dir / "history.sqlite3")
    try:
        assert history.versions(reply.id) == [reply.content]
        assert history._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        history.close()


def test_up_in_an_empty_composer_edits_and_resends_the_last_message(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send_and_wait(session, run, "What is 2+2?")
    [user, reply] = session.service.messages(window.current_id)
    QTest.keyClick(window.composer, Qt.Key.Key_Up)
    assert window.composer.toPlainText() == "What is 2+2?"
    for _ in range(4):
        QTest.keyClick(window.composer, Qt.Key.Key_Backspace)
    QTest.keyClicks(window.composer, "3+3?")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    messages = session.service.messages(window.current_id)
    assert [m.id for m in messages] == [user.id, reply.id]
    assert messages[0].content == "What is 3+3?"
    assert server.requests[-1].json["newMessage"] == "What is 3+3?"
    assert "What is 3+3?" in messages[1].content
    assert session.service.versions(reply.id) == [reply.content]  # the old reply stays
    text = window.transcript.toPlainText()
    assert "What is 3+3?" in text and "What is 2+2?" not in text.split("Version")[0]
    assert window.composer.toPlainText() == ""


def test_esc_cancels_an_edit(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send_and_wait(session, run, "keep me")
    QTest.keyClick(window.composer, Qt.Key.Key_Up)
    assert window.composer.toPlainText() == "keep me"
    QTest.keyClick(window.composer, Qt.Key.Key_Escape)
    assert window.composer.toPlainText() == "" and window.editing_id is None
    QTest.keyClicks(window.composer, "new one")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    contents = [m.content for m in session.service.messages(window.current_id)]
    assert contents[0] == "keep me" and contents[2] == "new one"


def test_copy_keys_copy_the_last_reply_and_code_block(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send_and_wait(session, run, "copy test")
    reply = session.service.messages(window.current_id)[-1]
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("")
    QTest.keyClick(window.composer, Qt.Key.Key_C, CTRL | SHIFT)
    assert clipboard.text() == reply.content  # as Markdown
    QTest.keyClick(window.composer, Qt.Key.Key_C, CTRL | ALT)
    assert clipboard.text() == ('def greet(name: str) -> str:\n    return f"Hello, {name}!"\n'
                                '\nprint(greet("opchat-gui"))\n')


def test_alt_up_chooses_a_message_and_alt_delete_deletes_it(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send_and_wait(session, run, "one")
    send_and_wait(session, run, "two")
    ids = [m.id for m in session.service.messages(window.current_id)]
    QTest.keyClick(window.composer, Qt.Key.Key_Up, ALT)  # the last reply
    QTest.keyClick(window.composer, Qt.Key.Key_Up, ALT)  # "two"
    assert window.transcript.actions.selected == ids[2]
    assert window.transcript.toPlainText().count("\ntwo\n") == 1  # the user message line
    assert window.transcript.textCursor().selectedText().endswith("two")
    QTest.keyClick(window.composer, Qt.Key.Key_Delete, ALT)
    remaining = [m.id for m in session.service.messages(window.current_id)]
    assert remaining == [ids[0], ids[1], ids[3]]
    assert window.transcript.order == remaining
    text = window.transcript.toPlainText()
    assert text.count("\ntwo\n") == 0 and "\none\n" in text
    assert "You asked: two" in text  # the reply to it stays
    # reopening shows the same
    window.open_conversation(window.current_id)
    assert window.transcript.order == remaining


def test_context_menu_offers_the_actions(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send_and_wait(session, run, "menu please")
    view = window.transcript
    reply_id = view.order[-1]
    code = view.document().find("def greet")
    rect = view.cursorRect(code)
    seen: list[list[str]] = []

    def grab() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen.append([a.text() for a in menu.actions() if a.text()])
            for action in menu.actions():
                if action.text() == "Copy code block":
                    action.trigger()
            menu.close()

    QTimer.singleShot(50, grab)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, rect.center(),
                              view.viewport().mapToGlobal(rect.center()))
    QGuiApplication.clipboard().setText("")
    view.contextMenuEvent(event)
    assert seen and {"Copy message", "Copy code block", "Regenerate\tCtrl+R",
                     "Delete message"} <= set(seen[0])
    assert QGuiApplication.clipboard().text().startswith("def greet(name: str)")
    assert view.message_at(code.position()) == reply_id

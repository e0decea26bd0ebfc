"""Message actions from the keyboard, on the real window, server and history file."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

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
    assert messages[0].id == _user.id and messages[1].id != reply.id  # a sibling reply
    assert messages[-1].state == MessageState.DONE and messages[1].parent_id == _user.id
    assert session.service.forks(window.current_id) == {messages[1].id: (2, 2)}
    assert "‹ 2/2 ›" in window.transcript.toPlainText()
    # The old reply is reachable from the transcript, and back again.
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)
    assert window.transcript.order == [_user.id, reply.id]
    assert "‹ 1/2 ›" in window.transcript.toPlainText()
    QTest.keyClick(window.composer, Qt.Key.Key_Right, ALT)
    assert window.transcript.order == [_user.id, messages[1].id]
    # and it is on disk, in the schema's newest version
    history = History.open(data_dir / "history.sqlite3")
    try:
        assert history.message(reply.id).content == reply.content
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
    assert messages[0].id != user.id and messages[0].parent_id == user.parent_id  # a branch
    assert messages[0].content == "What is 3+3?"
    assert server.requests[-1].json["newMessage"] == "What is 3+3?"
    assert "What is 3+3?" in messages[1].content
    assert session.service.forks(window.current_id) == {messages[0].id: (2, 2)}
    text = window.transcript.toPlainText()
    assert "What is 3+3?" in text and "What is 2+2?" not in text
    assert window.composer.toPlainText() == ""
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)  # the old question and its reply
    assert window.transcript.order == [user.id, reply.id]


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
    box = window.findChild(QMessageBox, "confirmDeleteMessage")
    assert box is not None and "Messages that go: 2." in box.text()  # "two", its reply
    QTest.keyClick(box, Qt.Key.Key_Return)
    remaining = [m.id for m in session.service.messages(window.current_id)]
    assert remaining == [ids[0], ids[1]]
    assert window.transcript.order == remaining
    text = window.transcript.toPlainText()
    assert text.count("\ntwo\n") == 0 and "\none\n" in text
    assert "You asked: two" not in text  # its subtree went with it
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

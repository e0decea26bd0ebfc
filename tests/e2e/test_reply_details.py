"""What a reply was made with, in the real window: the (i) icon under it says it in its tool
tip, and a click on it (or the context menu) opens the details box (real HTTP)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from opchat_gui.ui.transcript.actions import DETAILS
from tests.conftest import wait_until
from tests.e2e.test_app_keys import type_and_send
from tests.e2e.test_reply_endings import last_reply, openai_session


def details_icon(transcript) -> tuple[int, str] | None:
    """Where the last (i) icon is, and its tool tip."""
    found = None
    block = transcript.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.anchorHref().startswith(DETAILS):
                found = (fragment.position(), fmt.toolTip())
            it += 1
        block = block.next()
    return found


def test_the_icon_says_what_the_reply_was_made_with_and_opens_the_box(
        open_app, server, openai_server, run):
    session = openai_session(open_app, server, openai_server.url)
    window = session.window
    type_and_send(window, "first")
    run(wait_until(lambda: not session.service.busy(), what="the reply"))
    found = details_icon(window.transcript)
    assert found is not None
    assert found[1] == ("Made with Local · demo-model\n"
                        "Settings: the server's defaults (none were sent)")

    session.service.set_generation(window.current_id, {"temperature": 0.7, "max_tokens": 300})
    type_and_send(window, "second")
    run(wait_until(lambda: not session.service.busy(), what="the second reply"))
    position, tip = details_icon(window.transcript)
    assert tip == "Made with Local · demo-model\nSettings sent: Temperature 0.7 · Max tokens 300"

    cursor = QTextCursor(window.transcript.document())
    cursor.setPosition(position)
    rect = window.transcript.cursorRect(cursor)
    QTest.mouseClick(window.transcript.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(rect.right() + 6, rect.center().y()))
    run(wait_until(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox)
                   or any(isinstance(w, QMessageBox) and w.isVisible()
                          for w in QApplication.topLevelWidgets()), what="the details box"))
    box = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.isVisible())
    assert box.text() == tip and box.windowTitle() == "Reply details"
    box.close()

    reply = last_reply(session)
    shown = window.show_reply_details(reply.id)  # the context menu's action
    assert shown is not None and shown.text() == tip
    shown.close()
    window.open_conversation(window.current_id)  # reopened: the first reply's own settings
    first = session.service.messages(window.current_id)[1]
    assert "none were sent" in window.transcript.actions.footer_links(first)[-1][0]


def test_the_keyboard_reaches_the_icon_reads_its_tip_and_opens_the_box(
        open_app, server, openai_server, run):
    session = openai_session(open_app, server, openai_server.url)
    window = session.window
    type_and_send(window, "first")
    run(wait_until(lambda: not session.service.busy(), what="the reply"))
    view = window.transcript
    view.setFocus()

    def reached():  # the format of the link the selection covers
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.textCursor().selectionStart() + 1)
        return cursor.charFormat()

    for _ in range(40):  # Shift+Tab: back from the end, over the other links
        QTest.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        if reached().anchorHref().startswith(DETAILS):
            break
    else:
        raise AssertionError("no details icon reached by Shift+Tab")
    assert reached().toolTip().startswith("Made with Local")
    QTest.keyClick(view, Qt.Key.Key_Return)
    run(wait_until(lambda: any(isinstance(w, QMessageBox) and w.isVisible()
                               for w in QApplication.topLevelWidgets()), what="the box"))
    box = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.isVisible())
    assert box.text().startswith("Made with Local · demo-model")
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert not box.isVisible()

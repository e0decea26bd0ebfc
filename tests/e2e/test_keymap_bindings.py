"""Every binding in the key map, pressed for real, with its effect checked.

The test is parametrized over KEYMAP: a row added without an entry in EFFECTS fails
here, so no key ships untested.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from opchat_gui.chat.tool_turns import DECLINED
from opchat_gui.store import MessageState
from opchat_gui.ui.keys import keymap
from tests.conftest import wait_until
from tests.keyboard import press, seed, type_text

TITLES = [f"Topic {n} apple" for n in range(1, 10)]


class Ctx:
    def __init__(self, session: Any, server: Any, run: Callable[..., Any], tmp: Any,
                 openai_server: Any = None) -> None:
        self.session = session
        self.openai_server = openai_server
        self.tmp = tmp
        self.window = session.window
        self.service = session.service
        self.server = server
        self.run = run
        self.ids = seed(session, [(t, [("user", f"{t} question"), ("assistant", "apple pie")])
                                  for t in TITLES])
        self.window.open_conversation(self.window.model.id_at(0))

    def idle(self) -> None:
        self.run(wait_until(lambda: not any(self.service.is_streaming(i)
                                            for i in self.all_ids()), what="streams to end"))

    def all_ids(self) -> list[int]:
        return [c.id for c in self.service.history.conversations()]

    def operation_done(self) -> None:
        """Export, import, backup and restore run in the background: wait for the end."""
        self.run(wait_until(lambda: not self.window.data_menu.operations.busy(),
                            what="the operation to end"))


def _send(c: Ctx, key: str) -> None:
    c.window.new_conversation()
    type_text(c.window, "hello from a key")
    press(c.window, key)
    assert c.window.current_id is not None
    c.idle()
    [user, reply] = c.service.messages(c.window.current_id)
    assert user.content == "hello from a key" and reply.state == MessageState.DONE


def _newline(c: Ctx, key: str) -> None:
    c.window.composer.take_focus()
    type_text(c.window, "one")
    press(c.window, key)
    type_text(c.window, "two")
    assert c.window.composer.toPlainText() == "one\ntwo"


def _stop(c: Ctx, key: str) -> None:
    c.window.panels.open_overlay(c.window.panels.help)
    assert c.window.panels.help.isVisible()
    press(c.window, key)
    assert not c.window.panels.help.isVisible()
    assert QApplication.focusWidget() is c.window.composer
    c.window.panels.open_find()
    press(c.window, key)
    assert not c.window.find_bar.isVisible()
    assert c.service.send(c.window.current_id, "a long one")
    c.run(wait_until(lambda: "You asked" in c.window.transcript.toPlainText()))
    press(c.window, key)
    c.idle()
    assert c.service.messages(c.window.current_id)[-1].state == MessageState.STOPPED


def _retry(c: Ctx, key: str) -> None:
    failed = c.service.messages(c.window.current_id)[-1]
    c.service.history.update_message(failed.id, state=MessageState.FAILED, error="boom")
    before = len(c.server.requests)
    press(c.window, key)
    c.idle()
    assert len(c.server.requests) == before + 1
    assert c.service.messages(c.window.current_id)[-1].state == MessageState.DONE


def _new(c: Ctx, key: str) -> None:
    press(c.window, key)
    assert c.window.current_id is None and c.window.transcript.toPlainText() == ""


def _focus_composer(c: Ctx, key: str) -> None:
    c.window.sidebar.setFocus()
    assert QApplication.focusWidget() is c.window.sidebar
    press(c.window, key)
    assert QApplication.focusWidget() is c.window.composer


def _toggle_sidebar(c: Ctx, key: str) -> None:
    press(c.window, key)
    assert not c.window.sidebar.isVisible()
    press(c.window, key)
    assert c.window.sidebar.isVisible()


def _panel(attribute: str) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        press(c.window, key)
        panel = getattr(c.window.panels, attribute)
        assert panel.isVisible() and QApplication.focusWidget() is panel.filter
    return check


def _show_shortcuts(c: Ctx, key: str) -> None:
    _panel("help")(c, key)
    assert c.window.panels.help.model.rowCount() == len(keymap.KEYMAP)


def _find(c: Ctx, key: str) -> None:
    press(c.window, key)
    assert c.window.find_bar.isVisible()
    assert QApplication.focusWidget() is c.window.find_bar.field


def _open_find_for_apple(c: Ctx) -> None:
    c.window.panels.open_find()
    type_text(c.window, "apple")  # the title line, the question, the reply: two shown
    assert c.window.find_bar.count.text() == "1 of 2"


def _find_step(forward: bool) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        _open_find_for_apple(c)
        if not forward:
            press(c.window, key)  # wraps to the last
            assert c.window.find_bar.count.text() == "2 of 2"
        press(c.window, key)
        assert c.window.find_bar.count.text() == ("2 of 2" if forward else "1 of 2")
        assert c.window.transcript.textCursor().selectedText().lower() == "apple"
    return check


def _panel_move(down: bool) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        c.window.panels.open_overlay(c.window.panels.switcher)
        if not down:
            press(c.window, "Down")
            press(c.window, "Down")
        row = c.window.panels.switcher.list.currentIndex().row()
        press(c.window, key)
        assert c.window.panels.switcher.list.currentIndex().row() == row + (1 if down else -1)
    return check


def _panel_open(c: Ctx, key: str) -> None:
    c.window.panels.open_overlay(c.window.panels.switcher)
    press(c.window, "Down")
    press(c.window, key)
    assert not c.window.panels.switcher.isVisible()
    assert c.window.current_id == c.window.model.id_at(1)


def _rename(c: Ctx, key: str) -> None:
    press(c.window, key)
    assert c.window.panels.rename_prompt.isVisible()
    title = c.service.conversation(c.window.current_id).title
    assert c.window.panels.rename_prompt.filter.text() == title
    type_text(c.window, "Renamed by keys")
    press(c.window, "Return")
    assert c.service.conversation(c.window.current_id).title == "Renamed by keys"


def _delete(c: Ctx, key: str) -> None:
    doomed = c.window.current_id
    press(c.window, key)
    assert c.service.conversation(doomed) is None
    assert c.window.model.row_of(doomed) == -1 and c.window.current_id != doomed
    assert "undo" in c.window.statusBar().currentMessage().lower()


def _undo_delete(c: Ctx, key: str) -> None:
    doomed = c.window.current_id
    c.window.conversations.delete_current()
    press(c.window, key)
    assert c.window.current_id == doomed and c.window.model.row_of(doomed) >= 0


def _pin(c: Ctx, key: str) -> None:
    last = c.window.model.id_at(8)
    c.window.open_conversation(last)
    press(c.window, key)
    assert c.service.conversation(last).pinned and c.window.model.id_at(0) == last
    press(c.window, key)
    assert not c.service.conversation(last).pinned


def _step(delta: int) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        c.window.open_conversation(c.window.model.id_at(4))
        press(c.window, key)
        assert c.window.current_id == c.window.model.id_at(4 + delta)
    return check


def _go_to(position: int) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        c.window.open_conversation(c.window.model.id_at(8 if position == 1 else 0))
        press(c.window, key)
        assert c.window.current_id == c.window.model.id_at(position - 1)
    return check


def _zoom(kind: str) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        base = c.window.transcript.font().pointSizeF()
        if kind == "reset":
            c.window.zoom(3)
        press(c.window, key)
        size = c.window.transcript.font().pointSizeF()
        expected = {"in": base + 1, "out": base - 1, "reset": base}[kind]
        assert size == expected and c.window.composer.font().pointSizeF() == expected
    return check


def _settings(c: Ctx, key: str) -> None:
    press(c.window, key)
    dialog = c.window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert "keys" in dialog.page_ids  # the key bindings page is hosted there
    dialog.reject()


def _edit_last(c: Ctx, key: str) -> None:
    c.window.composer.clear()
    press(c.window, key)
    assert c.window.editing_id is not None
    assert c.window.composer.toPlainText() == f"{TITLES[-1]} question"


def _copy_reply(c: Ctx, key: str) -> None:
    QGuiApplication.clipboard().setText("before")
    press(c.window, key)
    assert QGuiApplication.clipboard().text() == "apple pie"


def _copy_code(c: Ctx, key: str) -> None:
    conversation = c.window.current_id
    c.service.history.add_message(conversation, "assistant", "Run:\n\n```sh\nls -la\n```\n")
    c.window.open_conversation(conversation)
    QGuiApplication.clipboard().setText("before")
    press(c.window, key)
    assert QGuiApplication.clipboard().text().strip() == "ls -la"


def _toggle_thinking(c: Ctx, key: str) -> None:
    conversation = c.window.current_id
    reply = c.service.history.add_message(conversation, "assistant", "The answer.")
    c.service.history.update_message(reply.id, reasoning="a private plan", reasoning_ms=3000)
    c.window.open_conversation(conversation)
    assert "a private plan" not in c.window.transcript.toPlainText()
    press(c.window, key)
    assert "a private plan" in c.window.transcript.toPlainText()
    press(c.window, key)
    assert "a private plan" not in c.window.transcript.toPlainText()


def _choose_message(delta: int) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        actions = c.window.transcript.actions
        order = c.window.transcript.order
        press(c.window, key)  # nothing chosen yet: the last (up) or the first (down)
        assert actions.selected == (order[-1] if delta < 0 else order[0])
        start = len(order) - 1 if delta < 0 else 0
        actions.selected = order[start]
        press(c.window, key)
        assert actions.selected == order[start + delta]
        assert c.window.transcript.textCursor().hasSelection()
    return check


def _delete_message(c: Ctx, key: str) -> None:
    conversation = c.window.current_id
    before = [m.id for m in c.service.messages(conversation)]
    c.window.transcript.actions.step(-1)  # choose the last message
    press(c.window, key)
    box = c.window.findChild(QMessageBox, "confirmDeleteMessage")
    assert box is not None and "Messages that go: 1." in box.text()
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert [m.id for m in c.service.messages(conversation)] == before[:-1]


def _branch(delta: int) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        conversation = c.window.current_id
        last = c.service.messages(conversation)[-1]
        other = c.service.history.add_message(conversation, "assistant", "another answer",
                                              parent_id=last.parent_id)
        if delta > 0:  # start on the older sibling
            c.service.switch_branch(conversation, other.id, -1)
        c.window.open_conversation(conversation)
        shown = c.window.transcript.order[-1]
        c.window.transcript.actions.step(-1)  # choose the last message
        press(c.window, key)
        assert c.window.transcript.order[-1] == (last.id if delta < 0 else other.id) != shown
        assert c.service.path(conversation)[-1] == c.window.transcript.order[-1]
    return check


class _Answering:
    """Answer the modal dialogs a key opens (they run their own loop) the way a user would.

    A dialog the answer cannot handle is cancelled after a few seconds, so a broken flow
    fails the test instead of hanging it inside the dialog's loop.
    """

    def __init__(self, answer: Callable[[QWidget], object]) -> None:
        self.answer = answer
        self.errors: list[BaseException] = []
        self.ticks = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            return
        self.ticks += 1
        try:
            self.answer(dialog)
        except Exception as exc:  # reported by stop(), never left to hang the loop
            self.errors.append(exc)
            dialog.close()
        if self.ticks > 150 and dialog.isVisible():
            self.errors.append(AssertionError(f"nobody answered {dialog.windowTitle()!r}"))
            dialog.close()

    def stop(self) -> None:
        self.timer.stop()
        if self.errors:
            raise self.errors[0]


def _answering(answer: Callable[[QWidget], object]) -> _Answering:
    return _Answering(answer)


def _choose_path(path: Any) -> Callable[[QWidget], bool]:
    def answer(dialog: QWidget) -> bool:
        if isinstance(dialog, QFileDialog):
            if path.is_dir():  # a folder dialog: go into the folder, then accept it
                dialog.setDirectory(str(path))
            else:  # type the full path into the file name field, as a user can
                field = dialog.findChild(QLineEdit, "fileNameEdit")
                assert field is not None
                field.setText(str(path))
            dialog.accept()
        return True
    return answer


def _continue(c: Ctx, key: str) -> None:
    reply = c.service.messages(c.window.current_id)[-1]
    c.service.history.update_message(reply.id, state=MessageState.STOPPED)
    before = len(c.server.requests)
    press(c.window, key)
    c.idle()
    assert len(c.server.requests) == before + 1
    reply = c.service.messages(c.window.current_id)[-1]
    assert reply.state == MessageState.DONE and reply.content.startswith("apple pie")


def _export_conversation(c: Ctx, key: str) -> None:
    target = c.tmp / "one.md"
    timer = _answering(_choose_path(target))
    press(c.window, key)
    timer.stop()
    c.operation_done()
    assert TITLES[-1] in target.read_text(encoding="utf-8")


def _export_all(c: Ctx, key: str) -> None:
    folder = c.tmp / "all"
    folder.mkdir()
    timer = _answering(_choose_path(folder))
    press(c.window, key)
    timer.stop()
    c.operation_done()
    assert len(list(folder.iterdir())) >= len(TITLES)


def _import(c: Ctx, key: str) -> None:
    source = c.tmp / "one.json"
    c.window.data_menu.export_conversation(source)
    c.operation_done()
    gone = c.window.current_id
    c.service.history.delete_conversation(gone)
    c.window.reload()
    count = c.window.model.rowCount()
    timer = _answering(_choose_path(source))
    press(c.window, key)
    timer.stop()
    c.operation_done()
    assert c.window.model.rowCount() == count + 1
    assert "Imported 1" in c.window.statusBar().currentMessage()


def _backup(c: Ctx, key: str) -> None:
    folder = c.session.paths.backups
    before = set(folder.iterdir()) if folder.exists() else set()
    press(c.window, key)
    c.operation_done()
    assert len(set(folder.iterdir()) - before) == 1


def _restore(c: Ctx, key: str) -> None:
    c.window.data_menu.backup_now()
    c.operation_done()
    conversation = c.window.current_id
    title = c.service.conversation(conversation).title
    c.service.rename(conversation, "Changed after the backup")

    def answer(dialog: QWidget) -> bool:
        if isinstance(dialog, QInputDialog):
            dialog.accept()  # the newest backup is preselected
        elif isinstance(dialog, QMessageBox):
            [restore] = [b for b in dialog.buttons()
                         if dialog.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole]
            restore.click()
        return True

    timer = _answering(answer)
    press(c.window, key)
    timer.stop()
    c.operation_done()
    assert c.service.conversation(conversation).title == title



def _scroll(to_end: bool) -> Callable[[Ctx, str], None]:
    """Ctrl+Home / Ctrl+End move the transcript from wherever the focus is."""
    def check(c: Ctx, key: str) -> None:
        conversation = c.window.current_id
        for n in range(40):
            c.service.history.add_message(conversation, "user", f"line {n} " + "words " * 60)
        c.window.open_conversation(conversation)
        bar = c.window.transcript.verticalScrollBar()
        c.run(wait_until(lambda: bar.maximum() > 0, what="a transcript taller than the view"))
        bar.setValue(bar.maximum() // 2)
        c.window.composer.setFocus()
        press(c.window, key)
        assert bar.value() == (bar.maximum() if to_end else 0)
    return check


def _page(down: bool) -> Callable[[Ctx, str], None]:
    """PgUp / PgDown in the composer page the transcript while the draft fits, and move
    in the draft once it is taller than its box."""
    def check(c: Ctx, key: str) -> None:
        conversation = c.window.current_id
        for n in range(40):
            c.service.history.add_message(conversation, "user", f"line {n} " + "words " * 60)
        c.window.open_conversation(conversation)
        bar = c.window.transcript.verticalScrollBar()
        c.run(wait_until(lambda: bar.maximum() > 2 * bar.pageStep(),
                         what="a transcript pages tall"))
        middle = bar.maximum() // 2
        bar.setValue(middle)
        composer = c.window.composer
        composer.setFocus()
        composer.setPlainText("a short draft")
        press(c.window, key)
        assert bar.value() == middle + (bar.pageStep() if down else -bar.pageStep())
        assert composer.toPlainText() == "a short draft"
        bar.setValue(middle)
        composer.setPlainText("\n".join(f"draft line {n}" for n in range(40)))
        c.run(wait_until(lambda: composer.verticalScrollBar().maximum() > 0,
                         what="a draft taller than the composer"))
        press(c.window, key)
        assert bar.value() == middle  # the draft's own page key
        composer.clear()
    return check


def _tool_prompt(c: Ctx) -> None:
    """A reply waiting for the user's answer to a call of the test tool server's `echo`
    (the scenario tests/e2e/test_tool_calls.py drives in full)."""
    from tests.e2e.test_tool_calls import SLOW, waiting

    entry = c.session.providers.save({"name": "Local", "kind": "openai",
                                      "model": "demo-model",
                                      "url": c.openai_server.play_url("tools", kind="echo")})
    c.session.providers.set_default(entry.id)
    press(c.window, keymap.keys_for("new_conversation")[0])
    type_text(c.window, "say hello through the tool")
    press(c.window, "Return")
    c.run(wait_until(lambda: waiting(c.session), SLOW, "the approval prompt"), timeout=SLOW)


def _tool_answer(expected: str) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        from tests.e2e.test_tool_calls import SLOW

        _tool_prompt(c)
        press(c.window, key)
        c.run(wait_until(lambda: not c.service.busy(), SLOW, "the reply after the answer"),
              timeout=SLOW)
        roles = [(m.role, m.content) for m in c.service.messages(c.window.current_id)]
        assert ("tool", expected) in roles
    return check


def _toggle_tool(c: Ctx, key: str) -> None:
    _tool_answer("hello from the model")(c, keymap.keys_for("tool_allow_once")[0])
    assert "Arguments" not in c.window.transcript.toPlainText()  # folded
    press(c.window, key)
    assert '"text": "hello from the model"' in c.window.transcript.toPlainText()
    press(c.window, key)
    assert "Arguments" not in c.window.transcript.toPlainText()


def _dialog_opens(attribute: str) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        press(c.window, key)
        dialog = getattr(c.window, attribute)
        assert isinstance(dialog, QDialog) and dialog.isVisible()
        dialog.reject()
    return check


def _providers(c: Ctx, key: str) -> None:
    press(c.window, key)
    dialog = c.window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.page_ids[dialog.stack.currentIndex()] == "providers"
    dialog.reject()


def _quit(c: Ctx, key: str) -> None:
    assert not c.session.closed.is_set()
    press(c.window, key)
    assert c.session.closed.is_set()


def _attach(c: Ctx, key: str) -> None:
    notes = c.tmp / "notes.txt"
    notes.write_text("attached words", encoding="utf-8")
    timer = _answering(_choose_path(notes))
    press(c.window, key)
    timer.stop()
    c.run(wait_until(lambda: [chip.attachment.name for chip in c.window.chips.chips]
                     == ["notes.txt"], what="the chip"))


def _chip_key(effect: str) -> Callable[[Ctx, str], None]:
    def check(c: Ctx, key: str) -> None:
        _attach(c, "Ctrl+U")
        chip = c.window.chips.chips[0]
        chip.setFocus()
        press(chip, key)
        if effect == "remove":
            c.run(wait_until(lambda: c.window.chips.chips == [], what="the chip removed"))
        else:
            viewer = c.window.attaching.viewer
            assert viewer is not None and viewer.isVisible()
            assert "attached words" in viewer.findChild(QPlainTextEdit).toPlainText()
            viewer.close()
    return check


def _viewer_key(expected: Callable[[float, float], bool]) -> Callable[[Ctx, str], None]:
    """A viewer over a 600x400 image, zoomed to 0.5 first; `expected(before, after)`."""
    def check(c: Ctx, key: str) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtGui import QImage

        from opchat_gui.core.attachments import Attachment
        from opchat_gui.ui.dialogs.attachment_viewer import AttachmentViewer

        image = QImage(600, 400, QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.darkCyan)
        out = QByteArray()
        buffer = QBuffer(out)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        attachment = Attachment(1, 1, None, 0, "0" * 64, "cyan.png", "image/png", out.size(),
                                "image", 600, 400, "")
        viewer = AttachmentViewer(attachment, bytes(out.data()), c.window)
        viewer.resize(400, 300)
        viewer.show()
        viewer.set_zoom(0.5)
        before = viewer.zoom
        combination = QKeySequence(key)[0]
        QTest.keyClick(viewer, combination.key(), combination.keyboardModifiers())
        assert expected(before, viewer.zoom), (before, viewer.zoom)
        viewer.close()
    return check


def _table_key(rightwards: bool) -> Callable[[Ctx, str], None]:
    """A reply with a wide table, chosen with Alt+Up; the key moves the table's view
    right (from its start) or left (from its end)."""
    def check(c: Ctx, key: str) -> None:
        from tests.unit.test_wide_tables import WIDE

        [conversation] = seed(c.session, [("Wide table", [("user", "a table please"),
                                                          ("assistant", f"Here:\n\n{WIDE}\n")])])
        c.window.open_conversation(conversation)
        view = c.window.transcript
        c.run(wait_until(lambda: len(view.order) == 2, what="the conversation shown"))
        view.setFocus()
        view.viewport().grab()  # drawn: the table knows its view's width
        press(c.window, "Alt+Up")  # the reply is chosen: its table has the keyboard
        table = view.focused_table()
        assert table is not None
        view.tables.scroll_to(table, not rightwards)
        before = view.tables.offsets.get(table, 0.0)
        press(c.window, key)
        after = view.tables.offsets.get(table, 0.0)
        assert (after > before) if rightwards else (after < before), (before, after)
        assert view.horizontalScrollBar().maximum() == 0
    return check


EFFECTS: dict[str, Callable[[Ctx, str], None]] = {
    "table_scroll_left": _table_key(rightwards=False),
    "table_scroll_right": _table_key(rightwards=True),
    "table_start": _table_key(rightwards=False),
    "table_end": _table_key(rightwards=True),
    "viewer_zoom_in": _viewer_key(lambda before, after: after > before),
    "viewer_zoom_out": _viewer_key(lambda before, after: after < before),
    "viewer_fit": _viewer_key(lambda before, after: after != before and after < 1),
    "viewer_actual_size": _viewer_key(lambda _before, after: after == 1.0),
    "attach_files": _attach,
    "remove_attachment": _chip_key("remove"),
    "open_attachment": _chip_key("open"),
    "send": _send,
    "newline": _newline,
    "stop": _stop,
    "retry": _retry,
    "new_conversation": _new,
    "focus_composer": _focus_composer,
    "toggle_sidebar": _toggle_sidebar,
    "quick_switcher": _panel("switcher"),
    "search_history": _panel("search_panel"),
    "find_in_conversation": _find,
    "find_next": _find_step(True),
    "find_previous": _find_step(False),
    "find_bar_next": _find_step(True),
    "find_bar_previous": _find_step(False),
    "panel_down": _panel_move(True),
    "panel_up": _panel_move(False),
    "panel_open": _panel_open,
    "rename_conversation": _rename,
    "delete_conversation": _delete,
    "undo_delete": _undo_delete,
    "toggle_pin": _pin,
    "next_conversation": _step(1),
    "previous_conversation": _step(-1),
    **{f"go_to_{n}": _go_to(n) for n in range(1, 10)},
    "zoom_in": _zoom("in"),
    "zoom_out": _zoom("out"),
    "zoom_reset": _zoom("reset"),
    "show_shortcuts": _show_shortcuts,
    "settings": _settings,
    "edit_last": _edit_last,
    "copy_reply": _copy_reply,
    "copy_code": _copy_code,
    "previous_message": _choose_message(-1),
    "next_message": _choose_message(1),
    "delete_message": _delete_message,
    "previous_branch": _branch(-1),
    "next_branch": _branch(1),
    "toggle_thinking": _toggle_thinking,
    "scroll_start": _scroll(to_end=False),
    "scroll_end": _scroll(to_end=True),
    "page_up": _page(down=False),
    "page_down": _page(down=True),
    "tool_allow_once": _tool_answer("hello from the model"),
    "tool_allow_always": _tool_answer("hello from the model"),
    "tool_deny": _tool_answer(DECLINED),
    "toggle_tool": _toggle_tool,
    "continue_reply": _continue,
    "export_conversation": _export_conversation,
    "export_all": _export_all,
    "import_file": _import,
    "backup_now": _backup,
    "restore_backup": _restore,
    "choose_model": _dialog_opens("picker"),
    "edit_system_prompt": _dialog_opens("prompt_dialog"),
    "edit_generation": _dialog_opens("generation_dialog"),
    "manage_providers": _providers,
    "quit": _quit,
}

CASES = [pytest.param(b.action, key, id=f"{b.action}[{key}]")
         for b in keymap.KEYMAP for key in b.keys]


TOOL_KEYS = {"tool_allow_once", "tool_allow_always", "tool_deny", "toggle_tool"}


@pytest.mark.parametrize(("action", "key"), CASES)
def test_binding_has_its_effect(action, key, open_app, server, openai_server, run, tmp_path,
                                data_dir):
    assert action in EFFECTS, f"key map row {action!r} has no test: add it to EFFECTS"
    if action in TOOL_KEYS:  # the app reads its tool servers at start, as a user's would be
        from tests.e2e.test_tool_calls import HELPER, write_servers

        write_servers(data_dir, {"test": {"command": sys.executable, "args": [HELPER]}})
    session = open_app("--url", server.play_url("slow", delay=0.005))
    EFFECTS[action](Ctx(session, server, run, tmp_path, openai_server), key)


def test_no_effect_without_a_binding():
    assert set(EFFECTS) <= set(keymap.BY_ACTION), "EFFECTS names an action not in the key map"

"""Daily online backups (the last 7 kept) and restore from the History menu, confirmed."""

from __future__ import annotations

import sqlite3
import stat
import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from opchat_gui.app import main as app_module
from opchat_gui.store import History
from opchat_gui.store.backup import KEEP, backup_if_due, daily_backups, list_backups
from tests.conftest import wait_until
from tests.dialogs import when_dialog

DAY = 24 * 60 * 60


def titles(path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        return sorted(row[0] for row in conn.execute("SELECT title FROM conversations"))
    finally:
        conn.close()


def test_once_a_day_and_only_the_last_seven_are_kept(tmp_path):
    history = History.open(tmp_path / "history.sqlite3")
    history.create_conversation("kept in every backup")
    folder = tmp_path / "backups"
    start = time.time()
    first = backup_if_due(history, folder, now=start)
    assert first is not None and titles(first) == ["kept in every backup"]
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert backup_if_due(history, folder, now=start + 3600) is None  # not due yet
    made = [first]
    for day in range(1, 10):
        history.create_conversation(f"day {day}")
        made.append(backup_if_due(history, folder, now=start + day * DAY + 60))
    assert all(made)
    kept = daily_backups(folder)
    assert len(kept) == KEEP
    assert set(kept) == set(made[-KEEP:])  # the oldest ones went, the newest stayed
    assert "day 9" in titles(kept[0])
    # each backup is one self-contained file: reading them (above, and the pruning's look
    # for the attachments they name) leaves no -wal or -shm beside them
    assert sorted(folder.iterdir()) == sorted(kept)
    history.close()


def test_the_running_app_takes_the_daily_backup(open_app, run, monkeypatch, data_dir):
    monkeypatch.setattr(app_module, "BACKUP_FIRST_DELAY", 0.0)
    session = open_app("--url", "http://127.0.0.1:9")
    run(wait_until(lambda: daily_backups(data_dir / "backups"), what="the daily backup"))
    run(wait_until(lambda: not session.operations.busy(), what="the backup to end"))
    logged = (data_dir / "logs" / "opchat-gui.log").read_text(encoding="utf-8")
    assert "Daily backup: started in the background" in logged  # off the GUI thread
    assert "Daily backup: success" in logged
    [backup] = daily_backups(data_dir / "backups")
    assert titles(backup) == []  # a valid, consistent copy of the (empty) history
    assert session.backups is not None and not session.backups.done()


def restore_by_keyboard(window, answer_confirm, run) -> list:
    seen: list = []

    def pick(dialog) -> None:
        assert isinstance(dialog, QInputDialog)
        when_dialog(answer_confirm, seen)  # the confirmation comes next
        QTest.keyClick(dialog, Qt.Key.Key_Return)  # the newest backup is preselected

    when_dialog(pick, seen)
    active_now(window, run)
    QTest.keyClick(window, Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    return seen


def active_now(window, run) -> None:
    """The window is active with no focus change still queued: a window shortcut fires only
    in the active window, and the key press itself delivers queued window-system events, so
    a focus change left in the queue (the offscreen platform queues one for every top-level
    shown or hidden) would deactivate the window just before the key lands."""
    for _ in range(5):
        QApplication.processEvents()
        if QApplication.activeWindow() is window:
            return
        window.activateWindow()
        run(wait_until(lambda: QApplication.activeWindow() is window))
    raise AssertionError(f"the window stays inactive: {QApplication.activeWindow()!r}")


def confirm(dialog) -> None:
    assert isinstance(dialog, QMessageBox)
    assert "can be undone" in dialog.text()
    [restore] = [b for b in dialog.buttons() if b.text() == "&Restore"]
    assert dialog.defaultButton() is not restore  # Enter alone does not replace the history
    restore.setFocus()
    QTest.keyClick(restore, Qt.Key.Key_Space)


def cancel(dialog) -> None:
    assert isinstance(dialog, QMessageBox)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)


def test_restore_from_the_menu_asks_first_and_can_be_undone(open_app, run, data_dir):
    session = open_app("--url", "http://127.0.0.1:9")
    window = session.window
    service = session.service
    service.history.create_conversation("before the backup")
    window.activateWindow()
    run(wait_until(lambda: QApplication.activeWindow() is window))
    QTest.keyClick(window, Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    run(wait_until(lambda: not window.data_menu.operations.busy(), what="the backup"))
    assert "Backed up the history" in window.statusBar().currentMessage()
    service.history.create_conversation("after the backup")
    service.reload()
    assert window.model.rowCount() == 2

    def activate() -> None:
        window.activateWindow()
        run(wait_until(lambda: QApplication.activeWindow() is window))

    activate()
    seen = restore_by_keyboard(window, cancel, run)
    why = (window.statusBar().currentMessage(), QApplication.activeWindow(),
           QApplication.focusWidget(), QApplication.activePopupWidget(),
           QApplication.activeModalWidget())
    assert len(seen) == 2, why
    assert window.model.rowCount() == 2  # cancelled: nothing changed

    activate()
    seen = restore_by_keyboard(window, confirm, run)
    run(wait_until(lambda: not window.data_menu.operations.busy(), what="the restore"))
    assert len(seen) == 2
    assert not window.problem.isVisibleTo(window), window.problem.text()
    assert [c.title for c in service.conversations()] == ["before the backup"]
    assert window.model.rowCount() == 1
    assert "Restored" in window.statusBar().currentMessage()
    [undo] = [p for p in list_backups(data_dir / "backups") if p.name.startswith("pre-restore")]
    assert titles(undo) == ["after the backup", "before the backup"]


def test_a_damaged_backup_is_refused_and_nothing_changes(open_app, data_dir, run):
    session = open_app("--url", "http://127.0.0.1:9")
    session.service.history.create_conversation("still here")
    (data_dir / "backups").mkdir(mode=0o700)
    bad = data_dir / "backups" / "history-20000101-000000.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    operation = session.window.data_menu.restore_backup(bad, confirmed=True)
    assert operation is not None
    run(wait_until(lambda: operation.done, what="the restore to end"))
    window = session.window
    assert window.problem.isVisibleTo(window) and "Cannot restore" in window.problem.text()
    assert [c.title for c in session.service.conversations()] == ["still here"]
    assert bad.exists()


def test_no_restore_while_a_reply_streams(open_app, server, run):
    session = open_app("--url", server.play_url("slow", delay=0.05))
    window = session.window
    backup = session.archive.backup_now()
    from tests.e2e.test_app_keys import type_and_send

    type_and_send(window, "keep streaming")
    assert session.service.busy()
    assert window.data_menu.restore_backup(backup, confirmed=True) is None
    assert "Wait for the reply to finish" in window.statusBar().currentMessage()
    assert [c.title for c in session.service.conversations()] == ["keep streaming"]
    session.service.stop(window.current_id)
    run(wait_until(lambda: not session.service.busy()))

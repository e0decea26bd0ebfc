"""Export, import, backup and restore as background operations in the real window:
progress in the status line, the window taking keys meanwhile, Esc and Cancel, failures
in one sentence with nothing left behind."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opchat_gui.chat.archive import ALL_JSON_NAME
from opchat_gui.chat.operations import Outcome
from opchat_gui.store import History
from opchat_gui.store.backup import list_backups
from tests.conftest import wait_until
from tests.dialogs import when_dialog
from tests.e2e.test_app_keys import type_and_send
from tests.integration.test_storage_failures import read_only_folder

NOWHERE = ("--url", "http://127.0.0.1:9")
BIG = 4000  # conversations: an export of them lasts seconds, long enough to act during it


def fill(data_dir: Path, count: int) -> None:
    """`count` conversations of two messages each, straight into the real history file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    History.open(data_dir / "history.sqlite3").close()  # the app's schema
    conn = sqlite3.connect(data_dir / "history.sqlite3", isolation_level=None)
    now = time.time() - 3600
    conn.execute("BEGIN")
    for n in range(count):
        cid = conn.execute("INSERT INTO conversations (title, created_at, updated_at, uid)"
                           " VALUES (?, ?, ?, ?)", (f"Talk {n}", now + n, now + n,
                                                    f"fill-{n}")).lastrowid
        conn.executemany("INSERT INTO messages (conversation_id, role, content, state,"
                         " created_at, updated_at) VALUES (?, ?, ?, 'done', ?, ?)",
                         [(cid, "user", f"Question {n}: " + "words " * 40, now, now),
                          (cid, "assistant", f"Answer {n}: " + "more words " * 60, now, now)])
    conn.execute("COMMIT")
    conn.close()


def idle(window) -> bool:
    return not window.data_menu.operations.busy()


def test_a_big_export_shows_progress_and_the_window_keeps_taking_keys(data_dir, open_app,
                                                                     run, tmp_path):
    fill(data_dir, BIG)
    session = open_app(*NOWHERE)
    window = session.window
    window.activateWindow()
    run(wait_until(lambda: QApplication.activeWindow() is window, what="the window active"))
    folder = tmp_path / "export"
    progress = window.data_menu.progress

    operation = window.data_menu.export_all(folder)
    assert operation is not None
    run(wait_until(lambda: progress.isVisible() and progress.bar.value() > 0,
                   what="progress in the status line"))
    assert "Exporting every conversation" in progress.label.text()
    assert f"of {QLocale().toString(BIG)}" in progress.label.text()
    assert "Esc cancels" in progress.label.text()
    first = progress.bar.value()

    QTest.keyClicks(window.composer, "typed while exporting")  # where the focus is
    assert window.composer.toPlainText() == "typed while exporting"
    assert not (folder / ALL_JSON_NAME).exists()  # the keys came before the export's end
    run(wait_until(lambda: progress.bar.value() > first or operation.done,
                   what="the export to go on while the window works"))
    seen: list = []
    when_dialog(lambda dialog: dialog.reject(), seen)
    QTest.keyClick(window.composer, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert "Wait for “Exporting every conversation” to finish" in \
        window.statusBar().currentMessage()
    assert seen == []  # said before asking for a folder it could not use yet

    run(wait_until(lambda: operation.done, timeout=240, what="the export"))
    assert operation.outcome == Outcome.SUCCESS
    assert not progress.isVisible()
    assert "Exported every conversation" in window.statusBar().currentMessage()
    assert len([p for p in folder.iterdir() if p.suffix == ".md"]) == BIG
    assert (folder / ALL_JSON_NAME).stat().st_size > 0
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no staging left
    assert window.composer.toPlainText() == "typed while exporting"


@pytest.mark.parametrize("how", ["esc", "cancel_button"])
def test_cancelling_an_export_leaves_no_file_behind(data_dir, open_app, run, tmp_path, how):
    fill(data_dir, BIG)
    session = open_app(*NOWHERE)
    window = session.window
    window.activateWindow()
    run(wait_until(lambda: QApplication.activeWindow() is window, what="the window active"))
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    progress = window.data_menu.progress

    operation = window.data_menu.export_all(folder)
    assert operation is not None
    run(wait_until(lambda: progress.isVisible() and progress.bar.value() > 0,
                   what="the export under way"))
    if how == "esc":
        QTest.keyClick(window.composer, Qt.Key.Key_Escape)
    else:
        QTest.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    run(wait_until(lambda: operation.done, timeout=60, what="the export to stop"))

    assert operation.outcome == Outcome.CANCELLED
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]  # nothing else, not hidden
    assert "Export cancelled" in window.statusBar().currentMessage()
    assert not progress.isVisible() and not window.problem.isVisibleTo(window)
    assert len(session.service.conversations()) == BIG  # the history is untouched
    # Esc went to the export, not to anything else: the next one starts at once.
    assert window.data_menu.export_all(tmp_path / "again") is not None
    run(wait_until(lambda: idle(window), timeout=240, what="the second export"))


def test_an_unwritable_target_folder_ends_in_one_clear_sentence(data_dir, open_app, run,
                                                                tmp_path):
    fill(data_dir, 20)
    session = open_app(*NOWHERE)
    window = session.window
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only_folder(locked):
        operation = window.data_menu.export_all(locked)
        run(wait_until(lambda: operation.done, what="the export to fail"))
        assert operation.outcome == Outcome.FAILURE
        assert window.problem.isVisibleTo(window)
        text = window.problem.text()
        assert text.startswith(f"Could not export to {locked}:") and "No file was left" in text
        assert "Traceback" not in text and "\n" not in text
        assert list(locked.iterdir()) == []
        window.open_conversation(window.model.id_at(0))
        single = window.data_menu.export_conversation(locked / "one.md")
        run(wait_until(lambda: single.done, what="the single export to fail"))
        assert single.outcome == Outcome.FAILURE
        assert window.problem.text().startswith(f"Could not export to {locked / 'one.md'}:")
        assert list(locked.iterdir()) == []
    assert len(session.service.conversations()) == 20


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0,
                    reason="mounting a small tmpfs needs root")
def test_an_export_that_fills_the_disk_fails_cleanly(data_dir, open_app, run, tmp_path):
    fill(data_dir, 2000)  # about 2 MB of Markdown and as much JSON: twice the disk
    small = tmp_path / "small"
    small.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs",
                           str(small)], capture_output=True, text=True)
    if made.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        session = open_app(*NOWHERE)
        window = session.window
        operation = window.data_menu.export_all(small)
        run(wait_until(lambda: operation.done, timeout=120, what="the export to fail"))
        assert operation.outcome == Outcome.FAILURE
        text = window.problem.text()
        assert window.problem.isVisibleTo(window)
        assert "No space left on device" in text and "No file was left behind" in text
        assert list(small.iterdir()) == []  # the partial files went with the staging folder
        assert len(session.service.conversations()) == 2000  # nothing lost
        # The disk has room again: the window still works, a small export goes through.
        window.open_conversation(window.model.id_at(0))
        single = window.data_menu.export_conversation(small / "one.md")
        run(wait_until(lambda: single.done, what="the single export"))
        assert single.outcome == Outcome.SUCCESS and (small / "one.md").exists()
    finally:
        subprocess.run(["umount", "-l", str(small)], check=False)


def test_a_read_only_run_still_exports_in_the_background(data_dir, open_app, run, tmp_path):
    fill(data_dir, 30)
    for sub in ("config", "logs", "cache"):
        (data_dir / sub).mkdir()
    with read_only_folder(data_dir):
        session = open_app(*NOWHERE)
        window = session.window
        assert "cannot be written" in window.banner.text()
        folder = tmp_path / "rescued"
        operation = window.data_menu.export_all(folder)
        run(wait_until(lambda: operation.done, what="the export"))
        assert operation.outcome == Outcome.SUCCESS, window.problem.text()
        assert len([p for p in folder.iterdir() if p.suffix == ".md"]) == 30
        run(session.close())


def test_a_reply_started_while_a_restore_is_prepared_stops_the_swap(open_app, server, run,
                                                                    data_dir):
    session = open_app("--url", server.play_url("slow", delay=0.05))
    window = session.window
    session.history.create_conversation("in the backup")
    backup = session.archive.backup_now()
    operation = window.data_menu.restore_backup(backup, confirmed=True)
    assert operation is not None
    type_and_send(window, "a reply that streams")  # before the prepared copy comes back
    run(wait_until(lambda: operation.done, what="the restore to end"))
    assert "nothing was restored" in window.problem.text()
    titles = sorted(c.title for c in session.service.conversations())
    assert titles == ["a reply that streams", "in the backup"]
    assert not (data_dir / "history.sqlite3.restoring").exists()
    assert not [p for p in list_backups(data_dir / "backups")
                if p.name.startswith("pre-restore")]
    session.service.stop(window.current_id)
    run(wait_until(lambda: not session.service.busy()))

"""A full disk and a read-only data folder: a clear banner, no lost text, no crash."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from opchat_gui.demo.aiengine_server import huge_reply
from opchat_gui.store import History, MessageState
from tests.conftest import wait_until
from tests.dialogs import when_dialog
from tests.e2e.test_app_keys import type_and_send
from tests.keyboard import press

UNLIMITED = 1_073_741_823


def limit_pages(session, pages: int | None = None) -> None:
    """SQLite's max_page_count: the database cannot grow, exactly as on a full disk."""
    conn = session.history.connection
    if pages is None:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def test_full_disk_keeps_the_typed_text_and_sending_resumes(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    config = window.providers.config  # a site without the 512-character input limit
    config.put(dataclasses.replace(config.default(), max_input_chars=0))
    type_and_send(window, "fits")
    run(wait_until(lambda: not session.service.busy()))
    limit_pages(session)
    long_text = "A long message that needs new pages. " * 600

    QApplication.clipboard().setText(long_text)  # pasted: typing 20 kB key by key is slow
    QTest.keyClick(window.composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.composer.toPlainText() == long_text  # nothing typed is lost
    assert window.problem.isVisibleTo(window)
    assert "The disk is full" in window.problem.text()
    assert [m.content for m in session.service.messages(window.current_id)
            if m.role == "user"] == ["fits"]

    limit_pages(session, UNLIMITED)  # space comes back
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.busy()))
    assert window.composer.toPlainText() == ""
    assert not window.problem.isVisibleTo(window)
    user = [m for m in session.service.messages(window.current_id) if m.role == "user"][-1]
    assert user.content == long_text


def test_full_disk_mid_reply_keeps_the_reply_in_memory_and_saves_it_later(open_app, server,
                                                                         run):
    session = open_app("--url", server.play_url("slow", delay=0.002, tokens=1500))
    window = session.window
    full = huge_reply(1500)
    type_and_send(window, "write a lot")
    run(wait_until(lambda: "very long reply" in window.transcript.toPlainText()))
    limit_pages(session)
    run(wait_until(lambda: window.problem.isVisibleTo(window), what="the banner"))
    assert "The disk is full" in window.problem.text()
    run(wait_until(lambda: not session.service.busy(), what="the stream to end"))
    reply = session.service.messages(window.current_id)[-1]
    assert full.startswith(reply.content) and reply.content != full  # the disk lags behind
    assert window.transcript.messages[reply.id].content == full  # the view has it all
    assert session.service.pending_writes() == 1

    # Quitting now would lose that reply: the app asks, and Cancel keeps it running.
    asked: list = []

    def cancel(dialog) -> None:
        assert isinstance(dialog, QMessageBox) and "Quit anyway" in dialog.text()
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    when_dialog(cancel, asked)
    window.close()
    assert asked and window.isVisible() and not session.closed.is_set()

    limit_pages(session, UNLIMITED)
    run(wait_until(lambda: session.service.pending_writes() == 0, what="the re-save"))
    reply = session.service.messages(window.current_id)[-1]
    assert (reply.content, reply.state) == (full, MessageState.DONE)
    assert not window.problem.isVisibleTo(window)


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """Make `folder` read-only for this process: by mode when not root, by a read-only
    mount when root (root ignores modes); skip if neither is possible here."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for path in modes:
            path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    if not shutil.which("mount"):
        pytest.skip("root without mount(8): cannot make a folder read-only")
    tmp = folder.with_name(folder.name + ".src")
    shutil.copytree(folder, tmp)
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs",
                           str(folder)], capture_output=True, text=True)
    if made.returncode:
        pytest.skip(f"root, and cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        shutil.copytree(tmp, folder, dirs_exist_ok=True)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_read_only_data_dir_shows_history_and_keeps_typed_text(data_dir, open_app, run):
    data_dir.mkdir(parents=True)
    for sub in ("config", "logs", "cache"):
        (data_dir / sub).mkdir()
    history = History.open(data_dir / "history.sqlite3")
    conversation = history.create_conversation()
    history.add_message(conversation.id, "user", "written before the folder locked")
    history.add_message(conversation.id, "assistant", "cut off by a crash",
                        MessageState.STREAMING)
    history.close()
    with read_only_folder(data_dir):
        session = open_app("--url", "http://127.0.0.1:9")
        window = session.window
        assert "cannot be written" in window.banner.text()
        assert str(data_dir) in window.banner.text()
        window.open_conversation(conversation.id)
        assert "written before the folder locked" in window.transcript.toPlainText()
        assert "Interrupted" in window.transcript.toPlainText()  # not a stuck stream
        type_and_send(window, "this cannot be saved")
        assert window.composer.toPlainText() == "this cannot be saved"
        assert window.problem.isVisibleTo(window) and "read-only" in window.problem.text()
        run(session.close())  # closing does not crash either
    history = History.open(data_dir / "history.sqlite3")
    assert history.messages(conversation.id)[0].content == "written before the folder locked"
    history.close()


def test_read_only_history_new_conversation_then_system_prompt_says_why(data_dir, open_app):
    """Regression: Ctrl+N then Ctrl+Shift+S on a read-only history read `.id` of the None
    that new_conversation returns when it cannot save, and raised AttributeError."""
    data_dir.mkdir(parents=True)
    for sub in ("config", "logs", "cache"):
        (data_dir / sub).mkdir()
    History.open(data_dir / "history.sqlite3").close()
    with read_only_folder(data_dir):
        session = open_app("--url", "http://127.0.0.1:9")
        window = session.window
        press(window, "Ctrl+N")
        press(window, "Ctrl+Shift+S")
        assert window.problem.isVisibleTo(window) and "read-only" in window.problem.text()
        assert window.current_id is None
        assert getattr(window, "prompt_dialog", None) is None  # nothing to edit a prompt of
        assert session.service.conversations() == []


def fill(folder: Path) -> Path:
    """Write a filler file until the file system says there is no space left."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 1 << 10, 1 << 6, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass  # full at this size; try smaller pieces
    finally:
        os.close(fd)
    return filler


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0,
                    reason="mounting a small tmpfs needs root")
def test_a_real_full_disk_on_a_small_tmpfs(data_dir, open_app, server, run):
    data_dir.mkdir(parents=True)
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs",
                           str(data_dir)], capture_output=True, text=True)
    if made.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        session = open_app("--url", server.url)
        window = session.window
        type_and_send(window, "before the disk filled up")
        run(wait_until(lambda: not session.service.busy()))
        filler = fill(data_dir)
        # Under the site's input limit (512 characters by default), so it is sent.
        QApplication.clipboard().setText("typed while the disk is full " * 17)
        QTest.keyClick(window.composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        typed = window.composer.toPlainText()
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        assert window.problem.isVisibleTo(window) and "disk is full" in window.problem.text()
        assert window.composer.toPlainText() == typed  # nothing typed is lost

        filler.unlink()  # space comes back
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        run(wait_until(lambda: not session.service.busy()))
        assert window.composer.toPlainText() == ""
        assert not window.problem.isVisibleTo(window)
        messages = session.service.messages(window.current_id)
        assert [m.content for m in messages if m.role == "user"] == [
            "before the disk filled up", typed]
        assert messages[-1].state == MessageState.DONE
        window.close()
        run(session.close())
    finally:
        subprocess.run(["umount", "-l", str(data_dir)], check=False)

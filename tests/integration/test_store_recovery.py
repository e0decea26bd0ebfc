"""Opening the history in every state: old schemas, a newer schema, damaged files, modes."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from opchat_gui.app.main import refuse
from opchat_gui.core.errors import ErrorKind, Failure
from opchat_gui.store import History, MessageState, recovery
from opchat_gui.store.recovery import Checking, header_version, open_history
from opchat_gui.store.schema import MIGRATIONS, SCHEMA_VERSION, NewerSchemaError, _statements
from tests.conftest import wait_until
from tests.e2e.test_app_keys import type_and_send

NOWHERE = ("--url", "http://127.0.0.1:9")  # replies fail fast; never the public internet
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def build_old(path: Path, version: int) -> None:
    """A history file as opchat-gui at schema `version` left it, with one conversation."""
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:version]:
        if not isinstance(script, str):  # what SQL alone cannot say (schema 7)
            script(conn)
            continue
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(conversations)")}
    if "uid" in columns:  # from schema 3 on, the app gives every conversation a uid
        conn.execute("INSERT INTO conversations (id, title, created_at, updated_at, uid)"
                     " VALUES (1, 'Old talk', 1.0, 2.0, 'old-uid')")
    else:
        conn.execute("INSERT INTO conversations (id, title, created_at, updated_at)"
                     " VALUES (1, 'Old talk', 1.0, 2.0)")
    conn.execute("INSERT INTO messages (conversation_id, role, content, state, created_at,"
                 " updated_at) VALUES (1, 'user', 'hello from v" + str(version) + "', 'done',"
                 " 1.0, 1.0), (1, 'assistant', 'half a rep', 'streaming', 1.5, 1.5)")
    conn.close()


def many_pages(path: Path) -> None:
    history = History.open(path)
    conversation = history.create_conversation("big")
    for n in range(60):
        history.add_message(conversation.id, "user", f"message {n} " + "x" * 2000)
    history.close()


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_each_earlier_schema_opens_with_its_data_and_a_backup_first(tmp_path, version):
    database = tmp_path / "history.sqlite3"
    build_old(database, version)
    original = database.read_bytes()
    opened = open_history(database, tmp_path / "backups")
    history = opened.history
    assert history.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    [conversation] = history.conversations()
    assert conversation.title == "Old talk" and conversation.uid  # migration 2 gave a uid
    assert [m.content for m in history.messages(conversation.id)] == [
        f"hello from v{version}", "half a rep"]
    assert opened.interrupted == 1  # the v-old reply left streaming is now interrupted
    assert history.messages(conversation.id)[1].state == MessageState.INTERRUPTED
    # Migration 8: the old text is still found; thinking and tool messages have room.
    assert [hit.message_id for hit in history.search(f"v{version}")] == [
        history.messages(conversation.id)[0].id]
    conn = history.connection
    conn.execute("INSERT INTO messages (conversation_id, role, content, tool_call_id,"
                 " created_at, updated_at) VALUES (1, 'tool', '{}', 'call_1', 3.0, 3.0)")
    conn.execute("UPDATE messages SET reasoning = 'pondering zebras' WHERE role = 'assistant'")
    assert conn.execute("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH"
                        " 'zebras'").fetchone() == (1,)
    # Migration 6: a kind can be stored from now on; older rows have none.
    reply = history.messages(conversation.id)[1]
    assert reply.failure is None
    history.update_message(reply.id, state=MessageState.FAILED, error="The server said no.",
                           failure=Failure(ErrorKind.SERVER, detail="no"))
    assert history.message(reply.id).failure == Failure(ErrorKind.SERVER, detail="no")
    # The copy taken before migrating is the old file, intact and at its old version.
    backup = opened.pre_migration_backup
    assert backup is not None and backup.parent == tmp_path / "backups"
    assert header_version(backup) == version
    old = sqlite3.connect(backup)
    assert old.execute("SELECT content FROM messages ORDER BY id").fetchall() == [
        (f"hello from v{version}",), ("half a rep",)]
    old.close()
    assert original  # the file was real
    history.close()


def test_a_current_file_takes_no_backup(tmp_path):
    database = tmp_path / "history.sqlite3"
    History.open(database).close()
    opened = open_history(database, tmp_path / "backups")
    assert opened.pre_migration_backup is None and not (tmp_path / "backups").exists()
    opened.history.close()


def test_newer_schema_is_refused_at_start_and_left_byte_identical(data_dir, open_app):
    data_dir.mkdir(parents=True)
    database = data_dir / "history.sqlite3"
    history = History.open(database)
    history.add_message(history.create_conversation().id, "user", "from the future")
    history.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    history.close()
    before = files(data_dir)
    with pytest.raises(NewerSchemaError, match="Update opchat-gui; the file was left untouched"):
        open_app()
    assert files(data_dir) == before  # same files, same bytes, no -wal/-shm, no lock left


def test_the_refusal_is_a_dialog_with_the_reason(qapp):
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(50, answer)
    refuse("This history file has schema version 99.")
    assert seen == ["This history file has schema version 99."]


def damaged_start(data_dir: Path, open_app, content: bytes | None = None) -> tuple:
    database = data_dir / "history.sqlite3"
    if content is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
        database.write_bytes(content)
    original = database.read_bytes()
    session = open_app(*NOWHERE)
    [moved] = data_dir.glob("history.corrupt-*.sqlite3")
    return session, moved, original


def assert_fresh_and_told(session, moved: Path, run) -> None:
    window = session.window
    assert window.banner.isVisibleTo(window)
    assert str(moved) in window.banner.text() and "nothing was deleted" in window.banner.text()
    assert window.model.rowCount() == 0
    type_and_send(window, "a fresh start")  # the new history works
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    assert [m.content for m in session.service.messages(window.current_id)][:1] == [
        "a fresh start"]


def test_garbage_file_is_moved_aside_and_a_fresh_history_starts(data_dir, open_app, run):
    garbage = os.urandom(3000)
    session, moved, original = damaged_start(data_dir, open_app, garbage)
    assert moved.read_bytes() == garbage == original
    assert_fresh_and_told(session, moved, run)


def test_truncated_file_is_moved_aside_with_its_wal(data_dir, open_app, run):
    data_dir.mkdir(parents=True)
    database = data_dir / "history.sqlite3"
    many_pages(database)
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 2])
    (data_dir / "history.sqlite3-wal").write_bytes(b"leftover wal")
    session, moved, original = damaged_start(data_dir, open_app)
    assert moved.read_bytes() == original
    assert Path(str(moved) + "-wal").read_bytes() == b"leftover wal"
    assert_fresh_and_told(session, moved, run)


def test_file_failing_quick_check_is_moved_aside(data_dir, open_app, run):
    data_dir.mkdir(parents=True)
    database = data_dir / "history.sqlite3"
    many_pages(database)
    data = bytearray(database.read_bytes())
    page = 4096
    for n in range(3, len(data) // page - 1, 2):  # scribble over several b-tree pages
        data[n * page: n * page + 64] = os.urandom(64)
    database.write_bytes(bytes(data))
    session, moved, original = damaged_start(data_dir, open_app)
    assert moved.read_bytes() == original
    assert_fresh_and_told(session, moved, run)


def test_the_start_checks_the_file_on_a_worker_thread_and_acts_on_its_verdict_itself(
        data_dir, open_app, run, monkeypatch):
    """quick_check reads the whole file (65-80 ms for 10,000 conversations), so start()
    runs it beside its other work; moving a damaged file aside stays on the GUI thread."""
    checked_on: list[str] = []
    real_check = recovery.check

    def check(path: Path) -> None:
        checked_on.append(threading.current_thread().name)
        real_check(path)

    monkeypatch.setattr(recovery, "check", check)
    data_dir.mkdir(parents=True)
    database = data_dir / "history.sqlite3"
    many_pages(database)
    data = bytearray(database.read_bytes())
    for n in range(3, len(data) // 4096 - 1, 2):
        data[n * 4096: n * 4096 + 64] = os.urandom(64)
    database.write_bytes(bytes(data))
    session, moved, original = damaged_start(data_dir, open_app)
    assert checked_on == ["history-check"]
    assert moved.read_bytes() == original
    assert_fresh_and_told(session, moved, run)


def test_a_newer_file_found_by_the_early_check_is_refused_on_the_callers_thread(tmp_path):
    database = tmp_path / "history.sqlite3"
    history = History.open(database)
    history.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    history.close()
    checking = Checking(database)
    with pytest.raises(NewerSchemaError, match="the file was left untouched"):
        open_history(database, tmp_path / "backups", checking=checking)
    assert header_version(database) == SCHEMA_VERSION + 1


@posix_only
def test_data_dir_is_0700_and_database_files_0600(data_dir, open_app, run):
    data_dir.mkdir(parents=True, mode=0o755)
    database = data_dir / "history.sqlite3"
    History.open(database).close()
    database.chmod(0o644)  # as an older or careless version might have left it
    session = open_app(*NOWHERE)
    type_and_send(session.window, "private")
    run(wait_until(lambda: not session.service.busy()))
    backup = session.archive.backup_now()
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(data_dir) == 0o700
    for name in ("history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm"):
        assert mode(data_dir / name) == 0o600, name
    assert mode(backup) == 0o600 and mode(backup.parent) == 0o700
    assert session.service.messages(session.window.current_id)[0].state == MessageState.DONE


TREES = 7  # the migration that made conversations trees (message_versions goes)


@pytest.mark.parametrize("version", range(1, TREES))
def test_each_earlier_schema_becomes_a_tree_with_versions_as_sibling_replies(tmp_path, version):
    """Migration 7: a list becomes a chain of parents; a reply's versions become its
    siblings, oldest first, the text on show stays on show and keeps what followed it."""
    database = tmp_path / "history.sqlite3"
    build_old(database, version)  # messages 1 (user) and 2 (assistant)
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("INSERT INTO messages (conversation_id, role, content, state, created_at,"
                 " updated_at) VALUES (1, 'user', 'follow-up', 'done', 10.0, 10.0),"
                 " (1, 'assistant', 'follow-up answer', 'done', 11.0, 11.0)")
    if version >= 2:
        conn.execute("UPDATE messages SET content = 'newest', state = 'done', updated_at = 9.0"
                     " WHERE id = 2")
        conn.execute("INSERT INTO message_versions (message_id, content, state, created_at)"
                     " VALUES (2, 'oldest', 'done', 3.0), (2, 'middle', 'stopped', 6.0)")
    conn.close()
    opened = open_history(database, tmp_path / "backups")
    history = opened.history
    tree = history.tree(1)
    path = history.active_path(1, tree)
    shown = history.path_messages(path)
    expected_reply = "newest" if version >= 2 else "half a rep"
    assert [m.content for m in shown] == [f"hello from v{version}", expected_reply,
                                          "follow-up", "follow-up answer"]
    assert [m.parent_id for m in shown] == [None, *path[:-1]]
    siblings = history.path_messages(tree.siblings(path[1]))
    if version >= 2:
        assert [(m.content, m.state, m.created_at, m.updated_at) for m in siblings] == [
            ("oldest", MessageState.DONE, 1.5, 3.0), ("middle", MessageState.STOPPED, 3.0, 6.0),
            ("newest", MessageState.DONE, 6.0, 9.0)]
        assert tree.forks(path) == {path[1]: (3, 3)}
    else:
        assert len(siblings) == 1 and tree.forks(path) == {}
    assert "message_versions" not in {row[0] for row in history.connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert opened.pre_migration_backup is not None  # backed up before any of it
    history.close()

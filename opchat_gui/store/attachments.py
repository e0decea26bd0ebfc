"""Attachment files and rows: blobs content-addressed by SHA-256 under the data folder,
rows in the `attachments` table (schema 8).

Crash safety comes from the order: the blob is written (atomically, 0600, folders 0700)
before the row that names it, and a blob is deleted only when no row names it, so a kill
at any moment leaves at worst an unreferenced blob, which the next collection removes;
never a row without its file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from opchat_gui.core.attachments import Attachment
from opchat_gui.core.files import write_atomic

FOLDER = "attachments"
PRIVATE_FOLDER = 0o700
COLLECT_GRACE_SECONDS = 3600.0  # a blob this young may be about to get its row: kept
_COLUMNS = ("id, conversation_id, message_id, position, sha256, name, mime, size, kind,"
            " width, height, text")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Blobs:
    """The files: `<data>/attachments/ab/abcdef…`, one per distinct content."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.folder / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store `data` (once: the same bytes are written only the first time); its hash."""
        sha = sha256_of(data)
        target = self.path(sha)
        if target.exists() and target.stat().st_size == len(data):
            return sha
        for folder in (self.folder, target.parent):
            folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
            if os.name == "posix" and (folder.stat().st_mode & 0o777) != PRIVATE_FOLDER:
                folder.chmod(PRIVATE_FOLDER)
        write_atomic(target, data, private=True)
        return sha

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def collect(self, conn: sqlite3.Connection, *, grace: float = COLLECT_GRACE_SECONDS,
                backups: Iterable[Path] = ()) -> int:
        """Delete every blob that neither the history nor any backup names (and leftover
        temporary files), older than `grace` seconds; how many went. A backup is a copy of
        the database only: its files stay here while it names them, so a restore finds
        them. A backup that cannot be read stops the collection (nothing is deleted).
        The names are read after listing the files, so a row added meanwhile keeps its
        blob."""
        if not self.folder.is_dir():
            return 0
        files = [p for sub in self.folder.iterdir() if sub.is_dir() for p in sub.iterdir()]
        named = {row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM attachments")}
        for backup in backups:
            named |= names_in(backup)
        deadline = time.time() - grace
        removed = 0
        for path in files:
            name = path.name
            key = name if not name.startswith(".") else name[1:].split(".", 1)[0]
            try:
                if key in named or path.stat().st_mtime > deadline:
                    continue
                path.unlink()
                removed += 1
            except OSError:
                continue  # gone already, or not ours to delete: try next time
        return removed


def names_in(database: Path) -> set[str]:
    """The blobs another database file (a backup) names; sqlite3.Error if unreadable.
    A file from before schema 8 has no attachments table and names none. Opened as
    immutable: a read-only open of a WAL-mode file would leave -wal and -shm beside it."""
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND"
                                 " name = 'attachments'").fetchone()
        if not has_table:
            return set()
        return {row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM attachments")}
    finally:
        conn.close()


def _attachment(row: Any) -> Attachment:
    (id_, conversation_id, message_id, position, sha, name, mime, size, kind, width, height,
     text) = row
    return Attachment(int(id_), int(conversation_id),
                      None if message_id is None else int(message_id), int(position), str(sha),
                      str(name), str(mime), int(size), str(kind),
                      None if width is None else int(width),
                      None if height is None else int(height), str(text))


def add(conn: sqlite3.Connection, conversation_id: int, *, sha256: str, name: str, mime: str,
        size: int, kind: str, width: int | None = None, height: int | None = None,
        text: str = "", message_id: int | None = None) -> Attachment:
    """A row after the last of its message (or of the composer when `message_id` is None);
    the blob must already be on disk."""
    position = conn.execute(
        "SELECT COALESCE(MAX(position) + 1, 0) FROM attachments WHERE conversation_id = ?"
        " AND message_id IS ?", (conversation_id, message_id)).fetchone()[0]
    cur = conn.execute(
        "INSERT INTO attachments (conversation_id, message_id, position, sha256, name, mime,"
        " size, kind, width, height, text, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (conversation_id, message_id, position, sha256, name, mime, size, kind, width, height,
         text, time.time()))
    row = conn.execute(f"SELECT {_COLUMNS} FROM attachments WHERE id = ?",
                       (cur.lastrowid,)).fetchone()
    return _attachment(row)


def pending(conn: sqlite3.Connection, conversation_id: int) -> list[Attachment]:
    """The composer's attachments, in the order they were added."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM attachments WHERE conversation_id = ?"
                        " AND message_id IS NULL ORDER BY position, id", (conversation_id,))
    return [_attachment(row) for row in rows]


def of_messages(conn: sqlite3.Connection,
                message_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """Each message's attachments in order; messages without any are left out."""
    ids = list(message_ids)
    found: dict[int, list[Attachment]] = {}
    for start in range(0, len(ids), 500):  # SQLite's variable limit
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT {_COLUMNS} FROM attachments WHERE message_id IN ({marks})"
                            " ORDER BY message_id, position, id", chunk)
        for row in rows:
            attachment = _attachment(row)
            assert attachment.message_id is not None
            found.setdefault(attachment.message_id, []).append(attachment)
    return found


def link_pending(conn: sqlite3.Connection, conversation_id: int, message_id: int) -> None:
    """The composer's attachments now belong to the message just sent (call inside the
    transaction that adds it)."""
    conn.execute("UPDATE attachments SET message_id = ? WHERE conversation_id = ?"
                 " AND message_id IS NULL", (message_id, conversation_id))


def copy_to(conn: sqlite3.Connection, source_id: int, message_id: int) -> None:
    """The same files on another message (an edited message keeps its attachments)."""
    conn.execute(
        "INSERT INTO attachments (conversation_id, message_id, position, sha256, name, mime,"
        " size, kind, width, height, text, created_at) SELECT conversation_id, ?, position,"
        " sha256, name, mime, size, kind, width, height, text, ? FROM attachments"
        " WHERE message_id = ?", (message_id, time.time(), source_id))


def give(conn: sqlite3.Connection, conversation_id: int, message_id: int,
         kept: Iterable[int], taken: Iterable[int]) -> None:
    """An edited message's files, in the order the composer showed them: copies of the
    rows `kept` (from the message edited), then the composer rows `taken` (attached for
    the edit), renumbered. Call inside the transaction that adds the message."""
    now = time.time()
    position = 0
    for row_id in kept:
        cur = conn.execute(
            "INSERT INTO attachments (conversation_id, message_id, position, sha256, name,"
            " mime, size, kind, width, height, text, created_at) SELECT ?, ?, ?, sha256,"
            " name, mime, size, kind, width, height, text, ? FROM attachments WHERE id = ?",
            (conversation_id, message_id, position, now, row_id))
        position += cur.rowcount
    for row_id in taken:
        cur = conn.execute("UPDATE attachments SET message_id = ?, position = ? WHERE id = ?"
                           " AND conversation_id = ? AND message_id IS NULL",
                           (message_id, position, row_id, conversation_id))
        position += cur.rowcount


def remove(conn: sqlite3.Connection, attachment_id: int) -> None:
    """Take a row out of the composer (sent ones go with their message)."""
    conn.execute("DELETE FROM attachments WHERE id = ? AND message_id IS NULL",
                 (attachment_id,))

"""Export, import, backups and restore for the window, which never touches the store.

Each method works on the calling thread with its own SQLite connection (a connection
belongs to one thread, and WAL lets it read or write beside the window's), so the window
runs them as operations off the GUI thread (chat/operations.py) while tests and scripts
call them directly. Each takes a Progress to report to, and stops with Cancelled when it
is cancelled, leaving nothing half done. Every failure becomes an ArchiveError with one
line the user can act on; nothing in the history changes unless the operation succeeded.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from opchat_gui import __version__
from opchat_gui.chat.operations import OperationFailed, Progress
from opchat_gui.core.files import write_atomic
from opchat_gui.core.text import fill
from opchat_gui.store import backup, chatgpt_import, export, export_files
from opchat_gui.store.export import ImportFormatError, ImportResult
from opchat_gui.store.history import History
from opchat_gui.store.recovery import CorruptDatabase
from opchat_gui.store.schema import NewerSchemaError

log = logging.getLogger(__name__)

ALL_JSON_NAME = "opchat-gui-export.json"
QUIET = Progress()  # for callers that neither watch nor cancel


class ArchiveError(OperationFailed):
    """What went wrong, in words for the user."""


class Archive:
    def __init__(self, history: History, backups: Path) -> None:
        self.history = history
        self.backups_dir = backups
        self._file = _database_file(history)  # None: a read-only run's copy in memory

    # Connections of the calling thread

    @contextmanager
    def _reading(self) -> Iterator[History]:
        """The history read-only on a new connection, all of it one snapshot."""
        if self._file is None:  # the read-only copy allows other threads (recovery.py)
            conn = sqlite3.connect(":memory:", isolation_level=None)
            self.history.connection.backup(conn)
        else:
            conn = sqlite3.connect(f"{self._file.as_uri()}?mode=ro", uri=True,
                                   isolation_level=None)
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
            reader = History(conn, self._file)
            reader.blobs = self.history.blobs  # attached files: the live history's folder
            reader.leave_out(self.history.hidden)  # messages deleted, still undoable
            yield reader
        finally:
            conn.close()

    @contextmanager
    def _writing(self) -> Iterator[History]:
        if self._file is None:
            raise ArchiveError(QCoreApplication.translate(
                "Archive", "The history is read-only in this run, so nothing can be added "
                "to it. Make the data folder writable and restart."))
        history = History.open(self._file)
        try:
            yield history
        finally:
            history.close()

    # Export

    def export_conversation(self, conversation_id: int, path: Path,
                            progress: Progress = QUIET) -> Path:
        """Markdown if `path` ends in .md, our JSON otherwise."""
        progress.step(0, 1)
        try:
            with self._reading() as history:
                if path.suffix.lower() in (".md", ".markdown"):
                    conversation = history.conversation(conversation_id)
                    if conversation is None:
                        raise ArchiveError(QCoreApplication.translate(
                            "Archive", "That conversation no longer exists."))
                    write_atomic(path, export.conversation_markdown(history, conversation))
                else:
                    export.write_json(path, export.export_document(
                        history, [conversation_id], __version__))
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(fill(QCoreApplication.translate(
                "Archive", "Could not export to %1: %2"), path, exc)) from exc
        return path

    def export_all(self, folder: Path, progress: Progress = QUIET) -> list[Path]:
        """One Markdown file per conversation plus one JSON file with all of them; a
        failure or a cancel leaves no file behind (store/export.py: export_folder)."""
        try:
            with self._reading() as history:
                return export.export_folder(history, folder, ALL_JSON_NAME, __version__,
                                            progress.step)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(fill(QCoreApplication.translate(
                "Archive", "Could not export to %1: %2. No file was left behind."),
                folder, exc)) from exc

    # Import

    def import_file(self, path: Path, progress: Progress = QUIET) -> ImportResult:
        """Our JSON export or ChatGPT's conversations.json, told apart by their shape.
        A cancel keeps the conversations imported so far (importing again adds the rest)."""
        progress.step(0, 1)
        try:
            document = export.read_json(path)
            if chatgpt_import.is_chatgpt_export(document) and document:
                records = chatgpt_import.records(document)
            else:
                records = export.validate(document)
                try:  # a folder export's files, beside its JSON
                    export_files.load_files(records, path.parent)
                except ValueError as exc:
                    raise ImportFormatError(str(exc)) from exc
            with self._writing() as history:
                return export.import_records(history, records, progress.step)
        except ImportFormatError as exc:
            raise ArchiveError(fill(QCoreApplication.translate(
                "Archive", "Could not import %1: %2."), path.name, exc)) from exc
        except OSError as exc:
            raise ArchiveError(fill(QCoreApplication.translate(
                "Archive", "Could not read %1: %2"), path, exc)) from exc
        except sqlite3.Error as exc:
            raise ArchiveError(fill(QCoreApplication.translate(
                "Archive", "Could not save the imported conversations: %1. Nothing from "
                "this file was lost; try again."), exc)) from exc

    # Backups

    def backups(self) -> list[Path]:
        return backup.list_backups(self.backups_dir)

    def backup_if_due(self, progress: Progress = QUIET) -> Path | None:
        try:
            with self._reading() as history:
                return backup.backup_if_due(history, self.backups_dir, step=progress.step)
        except (OSError, sqlite3.Error) as exc:
            log.error("daily backup failed: %s", exc)
            return None

    def backup_now(self, progress: Progress = QUIET) -> Path:
        try:
            with self._reading() as history:
                return backup.take_backup(history, self.backups_dir, step=progress.step)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(fill(QCoreApplication.translate(
                "Archive", "Could not write a backup to %1: %2"),
                self.backups_dir, exc)) from exc

    # Restore: prepared off the GUI thread, swapped in on it

    def stage_restore(self, source: Path, progress: Progress = QUIET) -> Path:
        """Check and copy `source` beside the history file; the history is not touched."""
        if self._file is None:
            raise ArchiveError(QCoreApplication.translate(
                "Archive", "The history is read-only in this run, so it cannot be "
                "replaced. Make the data folder writable and restart."))
        try:
            return backup.stage_restore(source, self._file, progress.step)
        except (CorruptDatabase, NewerSchemaError) as exc:
            raise ArchiveError(fill(QCoreApplication.translate(
                "Archive", "Cannot restore %1: %2"), source.name, exc)) from exc
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(fill(QCoreApplication.translate(
                "Archive", "Restoring %1 failed: %2"), source.name, exc)) from exc

    def finish_restore(self, staged: Path) -> Path:
        """On the GUI thread: swap the staged copy in and reopen the history on it.
        Returns the backup of the history it replaced."""
        try:
            return backup.swap_in(self.history, staged, self.backups_dir)
        except (OSError, sqlite3.Error) as exc:
            backup.discard_staged(staged)
            raise ArchiveError(fill(QCoreApplication.translate(
                "Archive", "Restoring failed: %1. The history was left as it was."),
                exc)) from exc

    def discard_restore(self, staged: Path) -> None:
        backup.discard_staged(staged)


def _database_file(history: History) -> Path | None:
    """The history's file as SQLite sees it; None for a database in memory."""
    row = history.connection.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None

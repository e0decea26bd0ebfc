"""Export, import, backups and restore for the window, which never touches the store.

Every failure becomes an ArchiveError with one line the user can act on; nothing in
the history changes unless the operation succeeded.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from opchat_gui import __version__
from opchat_gui.core.files import write_atomic
from opchat_gui.store import backup, chatgpt_import, export
from opchat_gui.store.export import ImportFormatError, ImportResult
from opchat_gui.store.history import History
from opchat_gui.store.recovery import CorruptDatabase
from opchat_gui.store.schema import NewerSchemaError

log = logging.getLogger(__name__)

ALL_JSON_NAME = "opchat-gui-export.json"


class ArchiveError(RuntimeError):
    """What went wrong, in words for the user."""


class Archive:
    def __init__(self, history: History, backups: Path) -> None:
        self.history = history
        self.backups_dir = backups

    # Export

    def export_conversation(self, conversation_id: int, path: Path) -> Path:
        """Markdown if `path` ends in .md, our JSON otherwise."""
        try:
            if path.suffix.lower() in (".md", ".markdown"):
                conversation = self.history.conversation(conversation_id)
                if conversation is None:
                    raise ArchiveError("That conversation no longer exists.")
                write_atomic(path, export.to_markdown(
                    conversation, self.history.messages(conversation_id)))
            else:
                export.write_json(path, export.export_document(
                    self.history, [conversation_id], __version__))
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"Could not export to {path}: {exc}") from exc
        return path

    def export_all(self, folder: Path) -> list[Path]:
        """One Markdown file per conversation plus one JSON file with all of them."""
        try:
            written = export.export_markdown(self.history, folder)
            json_path = folder / ALL_JSON_NAME
            export.write_json(json_path, export.export_document(self.history,
                                                                app_version=__version__))
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"Could not export to {folder}: {exc}") from exc
        return [*written, json_path]

    # Import

    def import_file(self, path: Path) -> ImportResult:
        """Our JSON export or ChatGPT's conversations.json, told apart by their shape."""
        try:
            document = export.read_json(path)
            if chatgpt_import.is_chatgpt_export(document) and document:
                records = chatgpt_import.records(document)
            else:
                records = export.validate(document)
            return export.import_records(self.history, records)
        except ImportFormatError as exc:
            raise ArchiveError(f"Could not import {path.name}: {exc}.") from exc
        except OSError as exc:
            raise ArchiveError(f"Could not read {path}: {exc}") from exc
        except sqlite3.Error as exc:
            raise ArchiveError(f"Could not save the imported conversations: {exc}. "
                               "Nothing from this file was lost; try again.") from exc

    # Backups

    def backups(self) -> list[Path]:
        return backup.list_backups(self.backups_dir)

    def backup_if_due(self) -> Path | None:
        try:
            return backup.backup_if_due(self.history, self.backups_dir)
        except (OSError, sqlite3.Error) as exc:
            log.error("daily backup failed: %s", exc)
            return None

    def backup_now(self) -> Path:
        try:
            return backup.take_backup(self.history, self.backups_dir)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"Could not write a backup to {self.backups_dir}: {exc}") \
                from exc

    def restore(self, source: Path) -> Path:
        """Replace the history with `source`; returns the backup of the replaced history."""
        try:
            return backup.restore(self.history, source, self.backups_dir)
        except (CorruptDatabase, NewerSchemaError) as exc:
            raise ArchiveError(f"Cannot restore {source.name}: {exc}") from exc
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"Restoring {source.name} failed: {exc}") from exc

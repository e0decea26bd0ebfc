"""When the history cannot be written (a full disk, a read-only folder): what the user is
told, and the reply rows held in memory and retried until the disk takes them again."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from opchat_gui.store import History

log = logging.getLogger(__name__)

RESAVE_SECONDS = 2.0  # how often a failed write is tried again


class PendingWrites:
    """Reply id -> the fields its last save could not write; retried every RESAVE_SECONDS.
    `on_saved` runs once everything held has reached the disk."""

    def __init__(self, history: History, on_saved: Callable[[], None]) -> None:
        self._history = history
        self._on_saved = on_saved
        self._rows: dict[int, dict[str, Any]] = {}
        self._handle: asyncio.TimerHandle | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, reply_id: int) -> dict[str, Any] | None:
        return self._rows.get(reply_id)

    def hold(self, reply_id: int, row: dict[str, Any]) -> None:
        self._rows[reply_id] = row
        self._schedule()

    def flush(self) -> bool:
        """Try every held row now; True when nothing is left in memory only."""
        for reply_id, row in list(self._rows.items()):
            try:
                self._history.update_message(reply_id, **row)
            except sqlite3.Error as exc:
                log.info("history still not writable: %s", exc)
                return False
            del self._rows[reply_id]
        self._on_saved()
        return True

    def _schedule(self) -> None:
        if self._handle is None:
            self._handle = asyncio.get_event_loop().call_later(RESAVE_SECONDS, self._retry)

    def _retry(self) -> None:
        self._handle = None
        if not self.flush():
            self._schedule()


def storage_problem(exc: sqlite3.Error) -> str:
    """One line the user can act on, by SQLite's error code."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL:
        return QCoreApplication.translate(
            "ChatService", "The disk is full, so the history cannot be saved right now. Your "
            "text is kept; free some disk space and saving resumes on its own.")
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return QCoreApplication.translate(
            "ChatService", "The data folder is read-only, so the history cannot be saved. "
            "Your text is kept; make the folder writable (or start with --data-dir) and "
            "restart.")
    return QCoreApplication.translate(
        "ChatService", "Could not save to the history file ({error}). Your text is kept; "
        "free some disk space or check the data folder's permissions, then try again."
    ).format(error=exc)

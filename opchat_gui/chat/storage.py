"""When the history cannot be written (a full disk, a read-only folder): what the user is
told, the one place a failed write is caught (`guarded`), and the reply rows held in
memory and retried until the disk takes them again."""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication

from opchat_gui.core.text import fill
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
    return fill(QCoreApplication.translate(
        "ChatService", "Could not save to the history file (%1). Your text is kept; "
        "free some disk space or check the data folder's permissions, then try again."
    ), exc)


class StorageGuard:
    """Whether the history takes writes, told to the user once per change.

    `failed` and `recovered` are the façade's signal emitters; the replies whose final
    save failed wait in `pending` and are saved again as soon as any write works.
    """

    def __init__(self, history: History, failed: Callable[[str], None],
                 recovered: Callable[[], None]) -> None:
        self.ok = True
        self._failed = failed
        self._recovered = recovered
        self.pending = PendingWrites(history, self.worked)

    def failed(self, exc: sqlite3.Error) -> None:
        log.error("history write failed: %s", exc)
        self.ok = False
        self._failed(storage_problem(exc))

    def worked(self) -> None:
        if len(self.pending):
            self.pending.flush()  # calls back here once all is saved
            return
        if not self.ok:
            self.ok = True
            self._recovered()


class Guarded(Protocol):
    """An object whose writes `guarded` watches."""

    @property
    def storage(self) -> StorageGuard: ...


S = TypeVar("S", bound=Guarded)
P = ParamSpec("P")
R = TypeVar("R")
F = TypeVar("F")


def guarded(on_failure: F) -> Callable[[Callable[Concatenate[S, P], R]],
                                       Callable[Concatenate[S, P], R | F]]:
    """A method that writes the history: a SQLite error anywhere in it is reported once
    (a banner saying what to do) and the method returns `on_failure` (immutable) instead."""

    def wrap(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R | F]:
        @functools.wraps(method)
        def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R | F:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                self.storage.failed(exc)
                return on_failure
        return run
    return wrap

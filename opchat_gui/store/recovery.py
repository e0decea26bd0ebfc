"""Opening the history file whatever state it is in, without ever deleting anything.

- A file from a newer app version is refused before SQLite touches it (NewerSchemaError).
- A damaged file (not SQLite, truncated, failing `quick_check`) is moved aside with its
  side files as `history.corrupt-<timestamp>.sqlite3`, and a fresh history starts.
- An older schema is copied to the backups folder before it is migrated.
- A folder that cannot be written (read-only, full) still opens the history for reading:
  a private in-memory copy that refuses writes, so every write reports the problem.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from opchat_gui.store.glance import header_version
from opchat_gui.store.history import SIDE_FILES, History, make_private
from opchat_gui.store.schema import SCHEMA_VERSION, NewerSchemaError, migrate

log = logging.getLogger(__name__)

UNWRITABLE_CODES = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN,
                              sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM})


class CorruptDatabase(RuntimeError):
    """The file is not a usable SQLite database; the message says why."""


@dataclass(frozen=True)
class Opened:
    """The open history plus what happened on the way, for the window to tell the user."""

    history: History
    moved_aside: Path | None = None  # where a damaged file went
    damage: str = ""  # why it was judged damaged
    pre_migration_backup: Path | None = None
    read_only_reason: str = ""  # non-empty: nothing can be saved this run
    interrupted: int = 0  # replies that were streaming when the last run died


def stamp(now: float | None = None) -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))


def check(path: Path) -> None:
    """Raise NewerSchemaError or CorruptDatabase; return quietly for a usable file."""
    if not path.exists() or path.stat().st_size == 0:
        return  # SQLite treats an empty file as a new database
    version = header_version(path)
    if version is None:
        raise CorruptDatabase("it is not an SQLite database (the header is missing or short)")
    if version > SCHEMA_VERSION:
        raise newer_error(version)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.OperationalError:
        return  # cannot even read it here (permissions): let the open report that
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) in {sqlite3.SQLITE_CANTOPEN,
                                                      sqlite3.SQLITE_READONLY}:
            return  # a read-only folder without the -shm file; not damage
        raise CorruptDatabase(str(exc)) from exc
    finally:
        conn.close()
    if rows != [("ok",)]:
        raise CorruptDatabase("; ".join(str(row[0]) for row in rows[:3]))
    if version > SCHEMA_VERSION:
        raise newer_error(version)


class Checking:
    """`check(path)` on a worker thread, started early so start-up does its other work
    meanwhile: sqlite3 lets go of the GIL while it reads the file, and `quick_check`
    reads all of it (5 ms for 1,000 conversations, 65-80 ms for 10,000). It only reads:
    whatever it finds is acted on by `open_history`, on the caller's thread."""

    def __init__(self, path: Path) -> None:
        self._problem: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), daemon=True,
                                        name="history-check")
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            check(path)
        except BaseException as exc:  # handed over to the caller's thread in result()
            self._problem = exc

    def result(self) -> None:
        """Wait for the check; raise what `check` raised, or return for a usable file."""
        self._thread.join()
        if self._problem is not None:
            raise self._problem


def newer_error(version: int) -> NewerSchemaError:
    return NewerSchemaError(
        f"This history file has schema version {version}, but this opchat-gui only knows "
        f"up to {SCHEMA_VERSION}. Update opchat-gui; the file was left untouched.")


def move_aside(path: Path, now: float | None = None) -> Path:
    """Rename the file and its -wal/-shm to history.corrupt-<timestamp>.sqlite3[...]."""
    base = path.with_name(f"{path.stem}.corrupt-{stamp(now)}{path.suffix}")
    target, n = base, 1
    while target.exists():
        target = base.with_name(f"{base.stem}-{n}{base.suffix}")
        n += 1
    for side in SIDE_FILES:
        extra = path.with_name(path.name + side)
        if extra.exists():
            extra.rename(target.with_name(target.name + side))
    path.rename(target)
    return target


def backup_before_migration(path: Path, backups: Path, version: int,
                            now: float | None = None) -> Path:
    backups.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = backups / f"history.pre-v{SCHEMA_VERSION}-from-v{version}-{stamp(now)}.sqlite3"
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    make_private(target)
    return target


def open_history(path: Path, backups: Path, now: float | None = None,
                 checking: Checking | None = None) -> Opened:
    """Open `path` for the app; NewerSchemaError is the only exception meant for the user.
    `checking`: the file's check, started earlier (else it is checked now)."""
    moved: Path | None = None
    damage = ""
    try:
        if checking is None:
            check(path)
        else:
            checking.result()
    except CorruptDatabase as exc:
        damage = str(exc)
        moved = move_aside(path, now)
        log.error("history file %s is damaged (%s); moved to %s", path, damage, moved)
    backup: Path | None = None
    version = header_version(path) if path.exists() else None
    try:
        if version and version < SCHEMA_VERSION:
            backup = backup_before_migration(path, backups, version, now)
        history = History.open(path)
        try:
            interrupted = history.recover_interrupted()
        except sqlite3.Error:
            history.close()
            raise
    except (sqlite3.OperationalError, OSError) as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(exc, sqlite3.OperationalError) and code not in UNWRITABLE_CODES:
            raise
        log.error("cannot write the history at %s: %s", path, exc)
        return Opened(read_only_copy(path), moved, damage, None, str(exc))
    return Opened(history, moved, damage, backup, interrupted=interrupted)


def read_only_copy(path: Path) -> History:
    """An in-memory copy of whatever can be read, migrated, then set to refuse writes."""
    # Not tied to this thread: a background export copies it (chat/archive.py).
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    if path.exists() and path.stat().st_size:
        for uri in (f"file:{path}?mode=ro", f"file:{path}?immutable=1"):
            try:
                source = sqlite3.connect(uri, uri=True)
                try:
                    source.backup(memory)
                finally:
                    source.close()
                break
            except sqlite3.Error as exc:
                log.warning("could not read %s as %s: %s", path, uri, exc)
    memory.execute("PRAGMA foreign_keys = ON")
    migrate(memory)
    History(memory).recover_interrupted()  # shown as interrupted, as after any crash
    memory.execute("PRAGMA query_only = 1")
    return History(memory, path)

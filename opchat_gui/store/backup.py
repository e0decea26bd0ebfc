"""Daily online backups with SQLite's backup API, the last KEEP kept, and restore.

The backup API copies a consistent snapshot while the app keeps running (WAL included).
A restore first backs up the current history, so a wrong choice can be undone.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from opchat_gui.store.history import History, make_private
from opchat_gui.store.recovery import CorruptDatabase, check, stamp
from opchat_gui.store.schema import migrate

KEEP = 7
EVERY_SECONDS = 24 * 60 * 60
DAILY_PREFIX = "history-"
SUFFIX = ".sqlite3"


def list_backups(folder: Path) -> list[Path]:
    """Every backup in the folder (daily, pre-migration, pre-restore), newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.suffix == SUFFIX and p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def daily_backups(folder: Path) -> list[Path]:
    return [p for p in list_backups(folder) if p.name.startswith(DAILY_PREFIX)]


def take_backup(history: History, folder: Path, *, prefix: str = DAILY_PREFIX,
                now: float | None = None) -> Path:
    """Copy the live database to folder/<prefix><timestamp>.sqlite3, owner-only."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / f"{prefix}{stamp(now)}{SUFFIX}"
    n = 1
    while target.exists():
        target = folder / f"{prefix}{stamp(now)}-{n}{SUFFIX}"
        n += 1
    partial = target.with_name(target.name + ".partial")
    copy = sqlite3.connect(partial)
    try:
        history.connection.backup(copy)
    finally:
        copy.close()
    make_private(partial)
    partial.rename(target)
    return target


def backup_if_due(history: History, folder: Path, *, now: float | None = None,
                  keep: int = KEEP, every: float = EVERY_SECONDS) -> Path | None:
    """Take the daily backup unless one is younger than `every`; prune to `keep`."""
    now = time.time() if now is None else now
    latest = daily_backups(folder)
    if latest and now - latest[0].stat().st_mtime < every:
        return None
    target = take_backup(history, folder, now=now)
    for old in daily_backups(folder)[keep:]:
        old.unlink()
    return target


def restore(history: History, source: Path, folder: Path) -> Path:
    """Replace the live history with `source`; return the backup of what it replaced."""
    check(source)  # CorruptDatabase or NewerSchemaError: nothing has changed yet
    safety = take_backup(history, folder, prefix="pre-restore-")
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        reader.backup(history.connection)
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(str(exc)) from exc
    finally:
        reader.close()
    migrate(history.connection)  # an older backup comes back at the current schema
    return safety

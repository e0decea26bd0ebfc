"""Daily online backups with SQLite's backup API, the last KEEP kept, and restore.

The backup API copies a consistent snapshot while the app keeps running (WAL included).
A restore is prepared beside the history file (checked, copied, migrated) by any thread,
then swapped in by the history's own thread in a moment: the replaced file becomes a
backup, so a wrong choice can be undone and nothing written meanwhile is lost.

The attachment files a backup names go with it, into one store beside the backups
(store/backup_files.py); a restore brings back those the data folder lacks.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from opchat_gui.store import backup_files
from opchat_gui.store.attachments import FOLDER, Blobs
from opchat_gui.store.history import SIDE_FILES, History, make_private
from opchat_gui.store.recovery import CorruptDatabase, check, stamp
from opchat_gui.store.schema import migrate

KEEP = 7
EVERY_SECONDS = 24 * 60 * 60
DAILY_PREFIX = "history-"
RESTORE_PREFIX = "pre-restore-"
SUFFIX = ".sqlite3"
PARTIAL = ".partial"
STALE_PARTIAL = 6 * 60 * 60  # seconds: no backup takes this long; a kill left it
STAGED_SUFFIX = ".restoring"
PAGES_PER_STEP = 256  # 1 MB at SQLite's default page size: progress and cancel in between

log = logging.getLogger(__name__)

Step = Callable[[int, int], None]
"""Told (pages done, pages in all) as a copy goes; raising from it stops the copy."""


def list_backups(folder: Path) -> list[Path]:
    """Every backup in the folder (daily, pre-migration, pre-restore), newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.suffix == SUFFIX and p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def daily_backups(folder: Path) -> list[Path]:
    return [p for p in list_backups(folder) if p.name.startswith(DAILY_PREFIX)]


def backup_path(folder: Path, prefix: str, now: float | None = None) -> Path:
    """A new name folder/<prefix><timestamp>.sqlite3 (the folder is made owner-only)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / f"{prefix}{stamp(now)}{SUFFIX}"
    n = 1
    while target.exists():
        target = folder / f"{prefix}{stamp(now)}-{n}{SUFFIX}"
        n += 1
    return target


def take_backup(history: History, folder: Path, *, prefix: str = DAILY_PREFIX,
                now: float | None = None, step: Step | None = None) -> Path:
    """Copy the live database to folder/<prefix><timestamp>.sqlite3, owner-only, and the
    attachment files it names into the backups' store before it takes its name; a
    failure or a stop from `step` leaves no backup file behind."""
    target = backup_path(folder, prefix, now)
    partial = target.with_name(target.name + PARTIAL)
    copy = sqlite3.connect(partial)
    try:
        _copy(history.connection, copy, step)
        # One self-contained file: a WAL-mode copy opened read-only later (to list its
        # attachments, or to restore it) would leave -wal and -shm files beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.close()
        make_private(partial)
        backup_files.save_for(partial, history.blobs, folder)
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    partial.rename(target)
    return target


def backup_if_due(history: History, folder: Path, *, now: float | None = None,
                  keep: int = KEEP, every: float = EVERY_SECONDS,
                  step: Step | None = None) -> Path | None:
    """Take the daily backup unless one is younger than `every`; prune to `keep`."""
    now = time.time() if now is None else now
    latest = daily_backups(folder)
    if latest and now - latest[0].stat().st_mtime < every:
        return None
    target = take_backup(history, folder, now=now, step=step)
    for old in daily_backups(folder)[keep:]:
        old.unlink()
    prune_files(folder)
    return target


def prune_files(folder: Path, now: float | None = None) -> int:
    """Delete the backups' attachment files no backup (kept or being written) names. A
    partial backup a kill left behind (older than STALE_PARTIAL) goes first."""
    now = time.time() if now is None else now
    being_written = []
    for partial in folder.glob(f"*{SUFFIX}{PARTIAL}"):
        try:
            if now - partial.stat().st_mtime > STALE_PARTIAL:
                partial.unlink()
            else:
                being_written.append(partial)
        except OSError:
            continue
    return backup_files.prune(folder, [*list_backups(folder), *being_written])


def stage_restore(source: Path, live: Path, step: Step | None = None) -> Path:
    """Check `source` and copy it beside `live` as <live>.restoring, migrated to the current
    schema, its cut-off replies marked interrupted. The history itself is not touched,
    so any thread may do this; CorruptDatabase or NewerSchemaError say why not."""
    check(source)
    staged = live.with_name(live.name + STAGED_SUFFIX)
    discard_staged(staged)
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(staged, isolation_level=None)
    try:
        try:
            _copy(reader, copy, step)
        except sqlite3.DatabaseError as exc:
            raise CorruptDatabase(str(exc)) from exc
        migrate(copy)  # an older backup comes back at the current schema
        History(copy).recover_interrupted()  # no stream runs on the restored file
        copy.close()
        # Content-addressed: a file brought back early harms nothing if the swap never comes.
        lost = backup_files.bring_back(staged, source.parent, Blobs(live.parent / FOLDER))
    except BaseException:
        copy.close()
        discard_staged(staged)
        raise
    finally:
        reader.close()
    if lost:
        log.warning("restoring %s: %d attachment files are in no store", source.name,
                    len(lost))
    make_private(staged)
    return staged


def swap_in(history: History, staged: Path, folder: Path, now: float | None = None) -> Path:
    """On the history's own thread: the live file (with its side files) becomes
    folder/pre-restore-<timestamp>.sqlite3, `staged` takes its place, and `history`
    reopens on it. Returns the backup of what was replaced. Renames only, so it takes a
    moment whatever the size; on an error the old file goes back and stays open."""
    live = _live_path(history)
    safety = backup_path(folder, RESTORE_PREFIX, now)
    history.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    history.close()
    moved: list[tuple[Path, Path]] = []
    try:
        for side in ("", *SIDE_FILES):
            current = live.with_name(live.name + side)
            if current.exists():
                aside = safety.with_name(safety.name + side)
                shutil.move(current, aside)  # a copy when backups are on another disk
                moved.append((current, aside))
        os.replace(staged, live)
    except BaseException:
        for current, aside in reversed(moved):
            shutil.move(aside, current)
        history.reopen()
        raise
    history.reopen()
    make_private(safety)
    try:  # the replaced history's files go with it; the data folder keeps them meanwhile
        backup_files.save_for(safety, history.blobs, folder)
    except (OSError, sqlite3.Error) as exc:
        log.warning("the files of %s were not copied: %s", safety.name, exc)
    return safety


def discard_staged(staged: Path) -> None:
    for side in ("", *SIDE_FILES):
        staged.with_name(staged.name + side).unlink(missing_ok=True)


def _live_path(history: History) -> Path:
    if history.path is None or str(history.path) == ":memory:":
        raise ValueError("this history has no file to restore into")
    return history.path


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, step: Step | None) -> None:
    """The backup API in steps of PAGES_PER_STEP, telling `step` how far it got."""
    if step is None:
        source.backup(target)
        return
    source.backup(target, pages=PAGES_PER_STEP,
                  progress=lambda _status, left, total: step(total - left, total))

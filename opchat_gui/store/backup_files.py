"""The attachment files of backups: one content-addressed store beside the backups
(`<backups>/attachments/ab/abcdef…`, 0600 in 0700 folders), shared by all of them.

A backup's files are put there before the backup file takes its name, so a backup that
exists has its files; a restore copies back into the data folder those the restored
history names and the data folder lacks. A file is hard-linked where the disk allows
(blobs are never changed in place: a write replaces the file), else copied, and checked
against its hash either way. Files no backup names any more go when backups are pruned.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from opchat_gui.store.attachments import FOLDER, PRIVATE_FOLDER, Blobs, names_in, sha256_of

log = logging.getLogger(__name__)


def store_of(backups: Path) -> Blobs:
    return Blobs(backups / FOLDER)


def _folders(blobs: Blobs, sha: str) -> None:
    for folder in (blobs.folder, blobs.path(sha).parent):
        folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
        if os.name == "posix" and (folder.stat().st_mode & 0o777) != PRIVATE_FOLDER:
            folder.chmod(PRIVATE_FOLDER)


def copy_named(names: Iterable[str], source: Blobs, target: Blobs) -> list[str]:
    """Each named file from `source` into `target` unless it is there; the names that
    `source` lacks (or holds damaged) and so could not be copied."""
    missing: list[str] = []
    for sha in sorted(names):
        try:
            if target.exists(sha):
                continue
            origin = source.path(sha)
            if not origin.is_file():
                missing.append(sha)
                continue
            _folders(target, sha)
            try:
                os.link(origin, target.path(sha))  # the same bytes, no second copy on disk
            except OSError:
                data = origin.read_bytes()
                if sha256_of(data) != sha:
                    missing.append(sha)
                    continue
                target.put(data)
        except ValueError:  # not a SHA-256: a damaged row, nothing to copy
            missing.append(sha)
    if missing:
        log.warning("%d attachment files could not be copied (first %s)", len(missing),
                    missing[0][:12])
    return missing


def save_for(database: Path, data: Blobs | None, backups: Path) -> list[str]:
    """Put the files `database` (a backup being written) names into the backups' store."""
    if data is None:
        return []
    return copy_named(names_in(database), data, store_of(backups))


def bring_back(database: Path, backups: Path, data: Blobs) -> list[str]:
    """Copy into the data folder the files `database` (a restore being staged) names and
    the data folder lacks, from the backups' store; the names found in neither."""
    wanted = {sha for sha in names_in(database) if not _has(data, sha)}
    return copy_named(wanted, store_of(backups), data)


def _has(blobs: Blobs, sha: str) -> bool:
    try:
        return blobs.exists(sha)
    except ValueError:
        return True  # a damaged name: nothing to bring back


def prune(backups: Path, databases: Iterable[Path]) -> int:
    """Delete the store's files that none of `databases` (every backup kept, and any
    being written) names; how many went. An unreadable backup stops the pruning."""
    store = store_of(backups)
    if not store.folder.is_dir():
        return 0
    files = [p for sub in store.folder.iterdir() if sub.is_dir() for p in sub.iterdir()]
    named: set[str] = set()
    try:
        for database in databases:
            named |= names_in(database)
    except sqlite3.Error as exc:
        log.warning("backup files not pruned: %s", exc)
        return 0
    removed = 0
    for path in files:
        if path.name in named:
            continue
        try:
            path.unlink()
            removed += 1
        except OSError:
            continue
    return removed

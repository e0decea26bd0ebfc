"""The conversation list and the window's saved state, read before the history is opened.

Start-up's first frame (app/frame.py) shows the real list before `open_history` has
checked, recovered or migrated the file, so this only reads, within a time budget, and
never fails: a file it cannot read quickly (missing, damaged, locked, of another schema
version) gives an empty glance, and the open that follows deals with it as it always did.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from opchat_gui.core.summary import ConversationSummary
from opchat_gui.store.schema import SCHEMA_VERSION

# The list's order (History.conversation_list runs the same query).
LIST_SQL = ("SELECT id, title, pinned, updated_at FROM conversations"
            " ORDER BY pinned DESC, updated_at DESC, id DESC")
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100
USER_VERSION_OFFSET = 60
BUDGET = 0.15  # seconds; past it the first frame shows the list empty
STEPS = 1000  # SQLite VM steps between two looks at the clock


@dataclass(frozen=True)
class Glance:
    conversations: list[ConversationSummary] = field(default_factory=list)
    state: dict[str, str] = field(default_factory=dict)  # the `kv` rows asked for
    newer: bool = False  # the file is of a newer schema: the open will refuse it


def header_version(path: Path) -> int | None:
    """`PRAGMA user_version` read from the header bytes, so a refused file stays untouched."""
    with path.open("rb") as handle:
        header = handle.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        return None
    return int.from_bytes(header[USER_VERSION_OFFSET:USER_VERSION_OFFSET + 4], "big")


def glance(path: Path, keys: tuple[str, ...] = (), budget: float = BUDGET) -> Glance:
    """The list and the `kv` rows named in `keys`, read-only; empty when unreadable."""
    try:
        version = header_version(path)  # SQLite opens nothing of another version
    except OSError:
        return Glance()
    if version is None or version > SCHEMA_VERSION:  # not SQLite; or refused by the open
        return Glance(newer=version is not None)
    deadline = time.monotonic() + budget
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                               timeout=0)
    except sqlite3.Error:
        return Glance()
    try:
        conn.set_progress_handler(lambda: time.monotonic() > deadline, STEPS)
        # The header's version may lag the log (a file made in a run that never checkpointed).
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return Glance()  # older: the open migrates it first
        rows = [ConversationSummary._make(row) for row in conn.execute(LIST_SQL)]
        state: dict[str, str] = {}
        for key in keys:
            found = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
            if found is not None and isinstance(found[0], str):
                state[key] = found[0]
        return Glance(rows, state)
    except (sqlite3.Error, ValueError, TypeError):  # damaged, locked, too slow, odd rows
        return Glance()
    finally:
        conn.close()

"""A streaming reply's growth, saved as pieces beside its row until it ends.

Why not the row itself: `content` and `reasoning` are in the full-text index, and SQLite
re-indexes the whole text on every update of them, so saving a 600 kB reply cost 13 ms
of the GUI thread, every 0.5 s, growing with the reply (the longest event-loop stalls of
a long stream). Each save while it streams now adds only what came since the last one,
as one `kv` row (`partial:<message id>:<number>`, a JSON [content, reasoning,
reasoning_ms]); the message row is written whole when the reply ends (or its text is
rearranged), and its pieces go in the same transaction.

A run that dies leaves the pieces: opening the file joins them onto their rows, in
order, as those rows are marked interrupted (`fold`). Pieces of a row that is no longer
streaming (its final save landed, and only dropping them did not) are stale: dropped.
"""

from __future__ import annotations

import json
import sqlite3

PREFIX = "partial:"
_END = "partial;"  # the first key after every "partial:..." key (";" follows ":")


def _range(message_id: int | None) -> tuple[str, str]:
    if message_id is None:
        return PREFIX, _END
    return f"{PREFIX}{message_id}:", f"{PREFIX}{message_id};"


def add(conn: sqlite3.Connection, message_id: int, number: int, content: str,
        reasoning: str, reasoning_ms: int) -> None:
    conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                 (f"{PREFIX}{message_id}:{number:09d}",
                  json.dumps([content, reasoning, reasoning_ms], ensure_ascii=False)))


def drop(conn: sqlite3.Connection, message_id: int | None = None) -> None:
    """Forget the pieces of one message (all messages' with None)."""
    conn.execute("DELETE FROM kv WHERE key >= ? AND key < ?", _range(message_id))


def fold(conn: sqlite3.Connection, streaming: str) -> None:
    """Join every message's pieces onto its row if it is still `streaming`; drop them all.
    The caller holds a transaction."""
    joined: dict[int, tuple[list[str], list[str], int]] = {}
    for key, value in conn.execute(
            "SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key", _range(None)):
        try:
            message_id = int(key[len(PREFIX):].split(":", 1)[0])
            content, reasoning, reasoning_ms = json.loads(value)
        except (ValueError, TypeError):
            continue  # not one of ours after all: left to the drop below
        texts, thoughts, ms = joined.setdefault(message_id, ([], [], 0))
        texts.append(str(content))
        thoughts.append(str(reasoning))
        joined[message_id] = (texts, thoughts, max(ms, int(reasoning_ms or 0)))
    for message_id, (texts, thoughts, ms) in joined.items():
        conn.execute(
            "UPDATE messages SET content = content || ?, reasoning = reasoning || ?,"
            " reasoning_ms = MAX(reasoning_ms, ?) WHERE id = ? AND state = ?",
            ("".join(texts), "".join(thoughts), ms, message_id, streaming))
    drop(conn)


def saved(conn: sqlite3.Connection, message_id: int) -> tuple[str, str]:
    """A reply's content and reasoning as they are on disk now, its row and its pieces
    joined (what a start after a crash now would show)."""
    row = conn.execute("SELECT content, reasoning FROM messages WHERE id = ?",
                       (message_id,)).fetchone()
    if row is None:
        return "", ""
    content, reasoning = [str(row[0])], [str(row[1])]
    for (value,) in conn.execute("SELECT value FROM kv WHERE key >= ? AND key < ? ORDER BY key",
                                 _range(message_id)):
        piece = json.loads(value)
        content.append(str(piece[0]))
        reasoning.append(str(piece[1]))
    return "".join(content), "".join(reasoning)

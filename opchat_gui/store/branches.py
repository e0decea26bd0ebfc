"""The conversation tree on disk (schema 7): each message's parent_id, and the active leaf
a conversation remembers (the end of the branch on show).

The stored leaf is trusted only if it is still one of the conversation's messages;
otherwise the newest branch is the active one, so a file edited by hand or an import
without a leaf still opens on something sensible.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from opchat_gui.core.tree import Tree

ROW_COLUMNS = ("id, conversation_id, role, content, state, error, usage, created_at,"
               " updated_at, error_kind, error_params, parent_id, reasoning, reasoning_ms")
IN_CHUNK = 500  # ids per `IN (...)`, well under SQLite's variable limit


def tree(conn: sqlite3.Connection, conversation_id: int) -> Tree:
    return Tree(conn.execute("SELECT id, parent_id FROM messages WHERE conversation_id = ?",
                             (conversation_id,)).fetchall())


def stored_leaf(conn: sqlite3.Connection, conversation_id: int) -> int | None:
    row = conn.execute("SELECT active_leaf FROM conversations WHERE id = ?",
                       (conversation_id,)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def active_path(conn: sqlite3.Connection, conversation_id: int,
                the_tree: Tree | None = None) -> list[int]:
    """Message ids from the root to the active leaf."""
    the_tree = the_tree if the_tree is not None else tree(conn, conversation_id)
    return the_tree.path(stored_leaf(conn, conversation_id))


def set_leaf(conn: sqlite3.Connection, conversation_id: int, leaf: int | None) -> None:
    conn.execute("UPDATE conversations SET active_leaf = ? WHERE id = ?",
                 (leaf, conversation_id))


def rows(conn: sqlite3.Connection, ids: list[int]) -> list[tuple[Any, ...]]:
    """The rows of these messages (ROW_COLUMNS), in the order of `ids`."""
    found: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start:start + IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(f"SELECT {ROW_COLUMNS} FROM messages WHERE id IN ({marks})",
                                chunk):
            found[int(row[0])] = tuple(row)
    return [found[i] for i in ids if i in found]


def delete(conn: sqlite3.Connection, ids: list[int]) -> None:
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start:start + IN_CHUNK]
        conn.execute(f"DELETE FROM messages WHERE id IN ({', '.join('?' * len(chunk))})",
                     chunk)


def reinsert(conn: sqlite3.Connection, saved: list[tuple[Any, ...]]) -> None:
    """Put deleted rows back with their own ids (undo)."""
    marks = ", ".join("?" * len(ROW_COLUMNS.split(",")))
    conn.executemany(f"INSERT INTO messages ({ROW_COLUMNS}) VALUES ({marks})", saved)


def leaf(conn: sqlite3.Connection, conversation_id: int) -> int | None:
    """The active leaf without reading the tree when the stored one is good (it almost
    always is): the end of the branch on show, or None for an empty conversation."""
    stored = stored_leaf(conn, conversation_id)
    if stored is not None and conn.execute(
            "SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?"
            " AND NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = ?)",
            (stored, conversation_id, stored)).fetchone():
        return stored
    path = tree(conn, conversation_id).path(stored)
    return path[-1] if path else None


def ancestors(conn: sqlite3.Connection, message_id: int, limit: int) -> list[int]:
    """Up to `limit` ids ending at `message_id`, walking parents: a page of a path, read
    in steps of the page's length whatever the conversation's."""
    rows = conn.execute(
        "WITH RECURSIVE up (id, parent_id, depth) AS ("
        " SELECT id, parent_id, 1 FROM messages WHERE id = ?"
        " UNION ALL SELECT m.id, m.parent_id, up.depth + 1 FROM messages m"
        " JOIN up ON m.id = up.parent_id WHERE up.depth < ?)"
        " SELECT id FROM up ORDER BY depth DESC", (message_id, limit)).fetchall()
    return [int(row[0]) for row in rows]


def forks_of(conn: sqlite3.Connection, conversation_id: int,
             ids: list[int]) -> dict[int, tuple[int, int]]:
    """Tree.forks for these messages, reading only their siblings."""
    if not ids:
        return {}
    parents = {int(i): p for i, p in rows_of(conn, "SELECT id, parent_id FROM messages"
                                               " WHERE id IN ({})", ids)}
    named = sorted({p for p in parents.values() if p is not None})
    siblings: dict[int | None, list[int]] = {}
    for i, p in rows_of(conn, "SELECT id, parent_id FROM messages WHERE parent_id IN ({})",
                        named):
        siblings.setdefault(p, []).append(int(i))
    if None in parents.values():
        siblings[None] = [int(r[0]) for r in conn.execute(
            "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS NULL",
            (conversation_id,))]
    result: dict[int, tuple[int, int]] = {}
    for message_id in ids:
        group = sorted(siblings.get(parents.get(message_id), []))
        if len(group) > 1 and message_id in group:
            result[message_id] = (group.index(message_id) + 1, len(group))
    return result


def rows_of(conn: sqlite3.Connection, query: str, ids: list[int]) -> list[tuple[Any, ...]]:
    """`query` with `IN ({})` filled in for `ids`, in chunks."""
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start:start + IN_CHUNK]
        found.extend(conn.execute(query.format(", ".join("?" * len(chunk))), chunk))
    return found

"""The conversation tree on disk (schema 7): each message's parent_id, the active leaf
a conversation remembers (the end of the branch on show), and below each fork the leaf
last on show there.

The stored leaf is trusted only if it is still one of the conversation's messages;
otherwise the newest branch is the active one, so a file edited by hand or an import
without a leaf still opens on something sensible. A stored leaf that has children (a
deleted subtree whose erase a crash prevented) extends down its newest branch, so what
came back is on show, not hidden below the end of the path.

Returning to a fork shows the branch below it as the user left it. Before the active
leaf moves, every message with siblings on the path on show keeps that leaf in its
`meta` as `last_leaf` (remember()); switching to a sibling goes to its `last_leaf`
(leaf_below()), or to its newest branch if it was never left. Why `meta` and not the
kv table: the fact belongs to one message, so it is deleted with its message (and with
a subtree or a conversation) by the rows' own deletes, needs no per-conversation blob
rewritten on every switch, and is read for the one sibling switched to. It is written
with json_set, so other keys in `meta` stay; a `meta` that is not a JSON object is left
alone (that message then falls back to its newest branch). A remembered id is trusted
only if it is still below its message, so a stale or imported one is harmless.

`hidden` ids (a deleted subtree within its undo time, see History.hide_subtree) are left
out of every tree read here, so nothing shows them, counts them or sends them.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from opchat_gui.core.tree import Tree

ROW_COLUMNS = ("id, conversation_id, role, content, state, error, usage, created_at,"
               " updated_at, error_kind, error_params, parent_id, reasoning, reasoning_ms,"
               " tool_calls, tool_call_id, meta")
IN_CHUNK = 500  # ids per `IN (...)`, well under SQLite's variable limit


NO_IDS: frozenset[int] = frozenset()
LAST_LEAF = "$.last_leaf"


def tree(conn: sqlite3.Connection, conversation_id: int, hidden: frozenset[int] = NO_IDS
         ) -> Tree:
    edges = conn.execute("SELECT id, parent_id FROM messages WHERE conversation_id = ?",
                         (conversation_id,)).fetchall()
    return Tree([e for e in edges if e[0] not in hidden] if hidden else edges)


def stored_leaf(conn: sqlite3.Connection, conversation_id: int) -> int | None:
    row = conn.execute("SELECT active_leaf FROM conversations WHERE id = ?",
                       (conversation_id,)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def active_path(conn: sqlite3.Connection, conversation_id: int,
                the_tree: Tree | None = None) -> list[int]:
    """Message ids from the root to the active leaf (down the newest branch if the stored
    leaf has children)."""
    the_tree = the_tree if the_tree is not None else tree(conn, conversation_id)
    stored = stored_leaf(conn, conversation_id)
    return the_tree.path(the_tree.newest_leaf(stored) if stored in the_tree else stored)


def remember(conn: sqlite3.Connection, conversation_id: int, the_tree: Tree,
             opening: tuple[int | None, ...] = ()) -> None:
    """Before the active leaf moves: each message with siblings on the path on show keeps
    the leaf on show now as its last_leaf, and so does the one whose parent is in
    `opening` (it is about to get a sibling: an edit or a regenerate)."""
    path = active_path(conn, conversation_id, the_tree)
    forks = [m for m in path
             if len(the_tree.siblings(m)) > 1 or the_tree.parent[m] in opening]
    if not forks:
        return
    for start in range(0, len(forks), IN_CHUNK):
        chunk = forks[start:start + IN_CHUNK]
        conn.execute(
            "UPDATE messages SET meta = json_set(CASE WHEN meta = '' THEN '{}' ELSE meta END,"
            f" '{LAST_LEAF}', ?) WHERE id IN ({', '.join('?' * len(chunk))})"
            " AND CASE WHEN meta = '' THEN 1 WHEN json_valid(meta)"
            " THEN json_type(meta) = 'object' ELSE 0 END", (path[-1], *chunk))


def leaf_below(conn: sqlite3.Connection, the_tree: Tree, message_id: int) -> int | None:
    """The leaf to show below `message_id`: the one last on show there, else the end of
    its newest branch."""
    row = conn.execute("SELECT CASE WHEN json_valid(meta) THEN json_extract(meta, ?) END"
                       " FROM messages WHERE id = ?", (LAST_LEAF, message_id)).fetchone()
    kept = row[0] if row is not None else None
    if isinstance(kept, int) and kept in the_tree and message_id in the_tree.path(kept):
        return the_tree.newest_leaf(kept)
    return the_tree.newest_leaf(message_id)


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


def leaf(conn: sqlite3.Connection, conversation_id: int,
         hidden: frozenset[int] = NO_IDS) -> int | None:
    """The active leaf without reading the tree when the stored one is good (it almost
    always is): the end of the branch on show, or None for an empty conversation."""
    stored = stored_leaf(conn, conversation_id)
    if stored is not None and conn.execute(
            "SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?"
            " AND NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = ?)",
            (stored, conversation_id, stored)).fetchone():
        return stored
    path = active_path(conn, conversation_id, tree(conn, conversation_id, hidden))
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


def forks_of(conn: sqlite3.Connection, conversation_id: int, ids: list[int],
             hidden: frozenset[int] = NO_IDS) -> dict[int, tuple[int, int]]:
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
        group = sorted(s for s in siblings.get(parents.get(message_id), [])
                       if s not in hidden)
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

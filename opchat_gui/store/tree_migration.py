"""Schema 7: linear conversations with reply "versions" become trees, losing nothing.

Until schema 6 a conversation was a list (a message's parent is the one before it) and a
regenerated or resent reply kept its older texts in message_versions. Each of those
versions becomes a sibling reply under the same parent, oldest first as siblings are
ordered by id: the original row takes the oldest text, new rows take the later ones,
and the newest row (the text on show until now) takes over the reply's children and,
if it ended the conversation, its place as the active leaf. Every timestamp is kept: a
version was made when the one before it was put aside.
"""

from __future__ import annotations

import sqlite3

_FIELDS = ("content", "state", "error", "usage", "error_kind", "error_params")


def versions_to_branches(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE messages ADD COLUMN parent_id INTEGER")
    conn.execute("ALTER TABLE conversations ADD COLUMN active_leaf INTEGER")
    conn.execute(
        "UPDATE messages SET parent_id = (SELECT MAX(p.id) FROM messages p"
        " WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id)")
    conn.execute("UPDATE conversations SET active_leaf = (SELECT MAX(m.id) FROM messages m"
                 " WHERE m.conversation_id = conversations.id)")
    conn.execute("CREATE INDEX messages_by_parent ON messages (parent_id)")
    ids = [row[0] for row in conn.execute(
        "SELECT DISTINCT message_id FROM message_versions ORDER BY message_id").fetchall()]
    for message_id in ids:
        _split(conn, message_id)
    conn.execute("DROP TABLE message_versions")


def _split(conn: sqlite3.Connection, message_id: int) -> None:
    columns = ", ".join(_FIELDS)
    current = conn.execute(
        f"SELECT {columns}, created_at, updated_at, conversation_id, role, parent_id"
        " FROM messages WHERE id = ?", (message_id,)).fetchone()
    if current is None:
        return
    *fields, created, updated, conversation_id, role, parent_id = current
    versions = conn.execute(
        f"SELECT {columns}, created_at FROM message_versions WHERE message_id = ?"
        " ORDER BY id", (message_id,)).fetchall()
    # (fields, created_at, updated_at) for each text, oldest first.
    texts: list[tuple[tuple[object, ...], float, float]] = []
    began = created
    for *version_fields, put_aside in versions:
        texts.append((tuple(version_fields), began, put_aside))
        began = put_aside
    texts.append((tuple(fields), began, updated))
    oldest, *later = texts
    assignments = ", ".join(f"{name} = ?" for name in _FIELDS)
    conn.execute(f"UPDATE messages SET {assignments}, created_at = ?, updated_at = ?"
                 " WHERE id = ?", (*oldest[0], oldest[1], oldest[2], message_id))
    newest = message_id
    for values, began_at, ended_at in later:
        cur = conn.execute(
            f"INSERT INTO messages (conversation_id, role, parent_id, {columns}, created_at,"
            f" updated_at) VALUES (?, ?, ?, {', '.join('?' * len(_FIELDS))}, ?, ?)",
            (conversation_id, role, parent_id, *values, began_at, ended_at))
        newest = int(cur.lastrowid or 0)
    conn.execute("UPDATE messages SET parent_id = ? WHERE parent_id = ? AND id != ?",
                 (newest, message_id, newest))
    conn.execute("UPDATE conversations SET active_leaf = ? WHERE active_leaf = ?",
                 (newest, message_id))

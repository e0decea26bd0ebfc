"""The schema as ordered migrations keyed by `PRAGMA user_version`.

Never edit a migration that has shipped: add the next one. Each runs in a transaction,
so a failed upgrade leaves the previous version intact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from opchat_gui.store.schema_v8 import ROOM_FOR_MODELS
from opchat_gui.store.tree_migration import versions_to_branches

# A migration is a script, or a function for what SQL alone cannot say (schema 7).
Migration = str | Callable[[sqlite3.Connection], None]

MIGRATIONS: tuple[Migration, ...] = (
    # 1: conversations, messages, and a key-value table for small app state.
    """
    CREATE TABLE conversations (
        id            INTEGER PRIMARY KEY,
        title         TEXT    NOT NULL DEFAULT '',
        created_at    REAL    NOT NULL,
        updated_at    REAL    NOT NULL,
        pinned        INTEGER NOT NULL DEFAULT 0,
        provider      TEXT    NOT NULL DEFAULT '',
        model         TEXT    NOT NULL DEFAULT '',
        system_prompt TEXT    NOT NULL DEFAULT '',
        draft         TEXT    NOT NULL DEFAULT ''
    );
    CREATE INDEX conversations_by_activity ON conversations (pinned DESC, updated_at DESC);
    CREATE TABLE messages (
        id              INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role            TEXT    NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'error')),
        content         TEXT    NOT NULL DEFAULT '',
        state           TEXT    NOT NULL DEFAULT 'done',
        error           TEXT    NOT NULL DEFAULT '',
        usage           TEXT    NOT NULL DEFAULT '',
        created_at      REAL    NOT NULL,
        updated_at      REAL    NOT NULL
    );
    CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
    CREATE TABLE kv (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: earlier versions of a reply (regenerate, edit and resend keep the old text).
    """
    CREATE TABLE message_versions (
        id         INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        content    TEXT    NOT NULL DEFAULT '',
        state      TEXT    NOT NULL DEFAULT 'done',
        error      TEXT    NOT NULL DEFAULT '',
        usage      TEXT    NOT NULL DEFAULT '',
        created_at REAL    NOT NULL
    );
    CREATE INDEX message_versions_by_message ON message_versions (message_id, id);
    """,
    # 3: a stable id per conversation, so exports re-import without duplicates and
    # imports from other apps (ChatGPT) are recognised the second time.
    """
    ALTER TABLE conversations ADD COLUMN uid TEXT;
    UPDATE conversations SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX conversations_by_uid ON conversations (uid);
    """,
    # 4: finding the replies a crash left streaming must not scan every message at start.
    """
    CREATE INDEX messages_streaming ON messages (id) WHERE state = 'streaming';
    """,
    # 5: full-text search over messages (FTS5, external content, kept in step by triggers).
    # unicode61 folds case in every script (Cyrillic included); remove_diacritics 2 lets
    # "cafe" find "café"; prefix 3 makes "as you type" 3-letter prefixes cheap. The
    # 'rebuild' backfills messages written before this version.
    """
    CREATE VIRTUAL TABLE messages_fts USING fts5(
        content,
        content = 'messages',
        content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '3'
    );
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
        VALUES ('delete', old.id, old.content);
    END;
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
        VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
    END;
    INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
    """,
    # 6: why a reply failed as data (core/errors.Failure): the kind (a provider error's
    # class name) and its parameters as JSON, so the sentence is built in the reader's
    # language when shown. `error` keeps the English sentence; older rows have only that.
    """
    ALTER TABLE messages ADD COLUMN error_kind TEXT NOT NULL DEFAULT '';
    ALTER TABLE messages ADD COLUMN error_params TEXT NOT NULL DEFAULT '';
    ALTER TABLE message_versions ADD COLUMN error_kind TEXT NOT NULL DEFAULT '';
    ALTER TABLE message_versions ADD COLUMN error_params TEXT NOT NULL DEFAULT '';
    """,
    # 7: a conversation is a tree: every message has a parent, the conversation remembers
    # the leaf of the branch on show, and the earlier versions of a reply become its
    # sibling replies (store/tree_migration.py); message_versions goes.
    versions_to_branches,
    # 8: thinking, tool messages, per-conversation generation and tool settings,
    # attachments, and search over all of it (store/schema_v8.py says what and why).
    ROOM_FOR_MODELS,
)

SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchemaError(RuntimeError):
    """The file was written by a newer opchat-gui; it is left untouched."""


def check_version(conn: sqlite3.Connection) -> int:
    """The file's schema version; refuse (before any write) one from a newer app."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"This history file has schema version {version}, but this opchat-gui only knows "
            f"up to {SCHEMA_VERSION}. Update opchat-gui; the file was left untouched."
        )
    return version


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file up to SCHEMA_VERSION; return the version it had before."""
    version = check_version(conn)
    for number in range(version + 1, SCHEMA_VERSION + 1):
        script = MIGRATIONS[number - 1]
        conn.execute("BEGIN IMMEDIATE")
        try:
            if isinstance(script, str):
                for statement in _statements(script):
                    conn.execute(statement)
            else:
                script(conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements

"""Schema 8: room for what 2026 models need, in one migration so the features that use
it (thinking, generation settings, attachments, tool calls) never race for the next
version number.

- `messages` is rebuilt (SQLite cannot loosen a CHECK in place) so `role` may be
  'tool': an MCP tool's result is a message on the branch it was made in. New columns:
  `reasoning` (a model's thinking, kept apart from the answer and never sent back),
  `reasoning_ms` (how long it thought; 0 = unknown), `tool_calls` (an assistant turn's
  calls as JSON), `tool_call_id` (the call a 'tool' message answers) and `meta` (JSON:
  what produced the message, e.g. the generation settings used).
- `conversations.generation` and `conversations.tools`: per-conversation overrides as
  JSON ('' = the provider's defaults).
- `attachments`: files given with a message (or still in the composer: `message_id`
  NULL), stored content-addressed under the data folder by `sha256`.
- The full-text index covers `content`, `reasoning` and `tool_calls`.
"""

from __future__ import annotations

_OLD_COLUMNS = ("id, conversation_id, role, content, state, error, usage, created_at, "
                "updated_at, error_kind, error_params, parent_id")

ROOM_FOR_MODELS = """
CREATE TABLE messages_v8 (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            TEXT    NOT NULL
                    CHECK (role IN ('user', 'assistant', 'system', 'error', 'tool')),
    content         TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL DEFAULT 'done',
    error           TEXT    NOT NULL DEFAULT '',
    usage           TEXT    NOT NULL DEFAULT '',
    created_at      REAL    NOT NULL,
    updated_at      REAL    NOT NULL,
    error_kind      TEXT    NOT NULL DEFAULT '',
    error_params    TEXT    NOT NULL DEFAULT '',
    parent_id       INTEGER,
    reasoning       TEXT    NOT NULL DEFAULT '',
    reasoning_ms    INTEGER NOT NULL DEFAULT 0,
    tool_calls      TEXT    NOT NULL DEFAULT '',
    tool_call_id    TEXT    NOT NULL DEFAULT '',
    meta            TEXT    NOT NULL DEFAULT ''
);
INSERT INTO messages_v8 ({columns}) SELECT {columns} FROM messages;
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;
DROP TABLE messages;
ALTER TABLE messages_v8 RENAME TO messages;
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
CREATE INDEX messages_streaming ON messages (id) WHERE state = 'streaming';
CREATE INDEX messages_by_parent ON messages (parent_id);

CREATE VIRTUAL TABLE messages_fts USING fts5(
    content,
    reasoning,
    tool_calls,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content, reasoning, tool_calls)
    VALUES (new.id, new.content, new.reasoning, new.tool_calls);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, reasoning, tool_calls)
    VALUES ('delete', old.id, old.content, old.reasoning, old.tool_calls);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, reasoning, tool_calls
ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, reasoning, tool_calls)
    VALUES ('delete', old.id, old.content, old.reasoning, old.tool_calls);
    INSERT INTO messages_fts (rowid, content, reasoning, tool_calls)
    VALUES (new.id, new.content, new.reasoning, new.tool_calls);
END;
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

ALTER TABLE conversations ADD COLUMN generation TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN tools TEXT NOT NULL DEFAULT '';

CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id      INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL DEFAULT 0,
    sha256          TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    mime            TEXT    NOT NULL DEFAULT '',
    size            INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('image', 'text', 'pdf', 'file')),
    width           INTEGER,
    height          INTEGER,
    text            TEXT    NOT NULL DEFAULT '',
    created_at      REAL    NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (message_id, position);
CREATE INDEX attachments_by_conversation ON attachments (conversation_id);
CREATE INDEX attachments_by_blob ON attachments (sha256);
""".replace("{columns}", _OLD_COLUMNS)


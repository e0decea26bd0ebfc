"""The history API: conversations and messages in one SQLite file (WAL, crash-safe).

Every write is its own short transaction, so a process killed at any moment leaves
the file consistent, holding everything up to the last completed write.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from opchat_gui.core.errors import Failure
from opchat_gui.core.messages import (
    Conversation,
    ConversationSummary,
    Message,
    MessageState,
    SearchHit,
)
from opchat_gui.core.tree import Tree
from opchat_gui.store import attachments, branches, partials
from opchat_gui.store import search as fts
from opchat_gui.store.glance import LIST_SQL
from opchat_gui.store.schema import check_version, migrate

TITLE_CHARS = 60


_CONV_COLUMNS = ("id, title, created_at, updated_at, pinned, provider, model, system_prompt,"
                 " draft, uid, generation")
SIDE_FILES = ("-wal", "-shm", "-journal")
PRIVATE_FILE = 0o600


def make_private(path: Path) -> None:
    """The database and its side files hold conversations: owner-only on POSIX."""
    if os.name != "posix":
        return
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        try:
            if candidate.exists() and (candidate.stat().st_mode & 0o777) != PRIVATE_FILE:
                candidate.chmod(PRIVATE_FILE)
        except OSError:
            pass  # a read-only folder; the open that follows says what is wrong


_MSG_COLUMNS = branches.ROW_COLUMNS
ACTIVE = -1  # add_message's parent: the end of the branch on show


def title_from(text: str) -> str:
    """The first line of the first message, cut at a word near TITLE_CHARS."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(line) <= TITLE_CHARS:
        return line
    cut = line[:TITLE_CHARS].rsplit(" ", 1)[0] or line[:TITLE_CHARS]
    return cut.rstrip(" ,.;:") + "…"


class History:
    """One open history file. Not thread-safe: use it from the GUI thread only."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self._conn = conn
        self.path = path
        self.closed = False  # close() was called: a timer that fires later reads nothing
        # Attached files live beside the history file (AppPaths.attachments is the same).
        self.blobs = attachments.Blobs(path.parent / attachments.FOLDER) \
            if path is not None and str(path) != ":memory:" else None
        # The highest id erase_hidden took: new messages go above it (SQLite reuses the top
        # rowid), so an id a stale reference still names never comes back as another message.
        self._id_floor = 0
        # Deleted subtrees within their undo time: still on disk (a crash brings them back,
        # as it does a conversation deleted within its undo time), left out of every read.
        self._hidden: set[int] = set()

    @property
    def connection(self) -> sqlite3.Connection:
        """For the other store modules (backup, export); widgets never see it."""
        return self._conn

    @classmethod
    def open(cls, path: Path | str) -> History:
        """Open (creating it owner-only if new) and migrate; SQLite errors propagate."""
        path = Path(path)
        if str(path) != ":memory:" and not path.exists():
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))
        conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
        try:
            check_version(conn)  # before WAL mode writes to the file
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        if str(path) != ":memory:":
            make_private(path)
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()
        self.closed = True

    def reopen(self) -> None:
        """Open the file again after a restore swapped a new one in under the same path;
        whoever holds this History reads the new file from now on."""
        if self.path is None:
            raise ValueError("an unnamed history cannot be reopened")
        self._conn = History.open(self.path)._conn
        self.closed = False

    # Conversations

    def create_conversation(self, title: str = "", *, provider: str = "", model: str = "",
                            system_prompt: str = "") -> Conversation:
        now = time.time()
        cur = self._conn.execute(
            "INSERT INTO conversations (title, created_at, updated_at, provider, model,"
            " system_prompt, uid) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (title, now, now, provider, model, system_prompt, uuid.uuid4().hex),
        )
        return self._require_conversation(int(cur.lastrowid or 0))

    def conversations(self) -> list[Conversation]:
        """Pinned first, then by last activity, newest first."""
        rows = self._conn.execute(
            f"SELECT {_CONV_COLUMNS} FROM conversations ORDER BY pinned DESC, updated_at DESC,"
            " id DESC"
        ).fetchall()
        return [_conversation(row) for row in rows]

    def conversation_list(self) -> list[ConversationSummary]:
        """The same order as conversations(), four columns only (the list's hot path)."""
        rows = self._conn.execute(LIST_SQL).fetchall()
        return [ConversationSummary._make(row) for row in rows]

    def conversation(self, conversation_id: int) -> Conversation | None:
        row = self._conn.execute(
            f"SELECT {_CONV_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
        return _conversation(row) if row else None

    def update_conversation(self, conversation_id: int, **fields: Any) -> None:
        allowed = {"title", "pinned", "provider", "model", "system_prompt", "draft",
                   "generation"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown conversation fields: {sorted(unknown)}")
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            self._conn.execute(f"UPDATE conversations SET {assignments} WHERE id = ?",
                               (*fields.values(), conversation_id))

    def tool_options(self, conversation_id: int) -> dict[str, Any]:
        """The conversation's tool options (`conversations.tools`); {} = the defaults."""
        row = self._conn.execute("SELECT tools FROM conversations WHERE id = ?",
                                 (conversation_id,)).fetchone()
        try:
            value = json.loads(row[0]) if row and row[0] else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def set_tool_options(self, conversation_id: int, options: dict[str, Any]) -> None:
        self._conn.execute("UPDATE conversations SET tools = ? WHERE id = ?",
                           (json.dumps(options, sort_keys=True) if options else "",
                            conversation_id))

    def delete_conversation(self, conversation_id: int) -> None:
        self._conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def conversation_by_uid(self, uid: str) -> Conversation | None:
        row = self._conn.execute(
            f"SELECT {_CONV_COLUMNS} FROM conversations WHERE uid = ?", (uid,)
        ).fetchone()
        return _conversation(row) if row else None

    def import_conversation(self, fields: dict[str, Any],
                            messages: list[dict[str, Any]]) -> int | None:
        """Insert a whole conversation in one transaction; None if its uid is already here."""
        uid = str(fields.get("uid") or uuid.uuid4().hex)
        now = time.time()
        with self._transaction():
            if self.conversation_by_uid(uid) is not None:
                return None
            cur = self._conn.execute(
                "INSERT INTO conversations (title, created_at, updated_at, pinned, provider,"
                " model, system_prompt, draft, uid, generation)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (str(fields.get("title", "")), float(fields.get("created_at", now)),
                 float(fields.get("updated_at", now)), int(bool(fields.get("pinned", False))),
                 str(fields.get("provider", "")), str(fields.get("model", "")),
                 str(fields.get("system_prompt", "")), str(fields.get("draft", "")), uid,
                 _generation_text(fields.get("generation"))),
            )
            conversation_id = int(cur.lastrowid or 0)
            refs: dict[object, int] = {}  # the file's message id -> ours
            previous: int | None = None
            for m in messages:
                # Format 2 names each message's parent; format 1 is a list (each message
                # follows the one before) whose replies may carry older "versions".
                parent = refs.get(m["parent"]) if "parent" in m else previous
                for v in m.get("versions") or []:
                    self._import_message(conversation_id, {**m, **v, "updated_at": v.get(
                        "created_at", now)}, parent, now)
                previous = self._import_message(conversation_id, m, parent, now)
                if "id" in m:
                    refs[m["id"]] = previous
            leaf = refs.get(fields["active_leaf"]) if "active_leaf" in fields else previous
            self.set_active_leaf(conversation_id, leaf)
        return conversation_id

    def _import_message(self, conversation_id: int, m: dict[str, Any], parent: int | None,
                        now: float) -> int:
        cur = self._conn.execute(
            "INSERT INTO messages (conversation_id, role, content, state, error, usage,"
            " created_at, updated_at, parent_id, reasoning, reasoning_ms, tool_calls,"
            " tool_call_id, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (conversation_id, str(m["role"]), str(m.get("content", "")),
             str(MessageState(m.get("state", "done"))), str(m.get("error", "")),
             str(m.get("usage", "")), float(m.get("created_at", now)),
             float(m.get("updated_at", m.get("created_at", now))), parent,
             str(m.get("reasoning") or ""), max(0, int(m.get("reasoning_ms") or 0)),
             str(m.get("tool_calls", "")), str(m.get("tool_call_id", "")),
             str(m.get("meta", ""))))
        message_id = int(cur.lastrowid or 0)
        files = m.get("attachments") or []
        if files and self.blobs is None:
            raise ValueError("attachments cannot be imported into an unnamed history")
        for item in files:  # each blob on disk before the row that names it
            assert self.blobs is not None
            sha = self.blobs.put(base64.b64decode(item["data"], validate=True))
            attachments.add(self._conn, conversation_id, message_id=message_id, sha256=sha,
                            name=str(item["name"]), mime=str(item.get("mime", "")),
                            size=int(item.get("size") or 0), kind=str(item["kind"]),
                            width=item.get("width"), height=item.get("height"),
                            text=str(item.get("text", "")))
        return message_id

    def _require_conversation(self, conversation_id: int) -> Conversation:
        conversation = self.conversation(conversation_id)
        if conversation is None:
            raise KeyError(f"no conversation {conversation_id}")
        return conversation

    # Messages

    def messages(self, conversation_id: int, *, before: int | None = None,
                 limit: int | None = None) -> list[Message]:
        """Oldest first; with `limit`, only the newest `limit` older than `before` (paging)."""
        if limit is None and before is None:
            rows = self._conn.execute(
                f"SELECT {_MSG_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
                (conversation_id,),
            ).fetchall()
        else:
            rows = self._conn.execute(
                f"SELECT {_MSG_COLUMNS} FROM messages WHERE conversation_id = ? AND id < ?"
                " ORDER BY id DESC LIMIT ?",
                (conversation_id, before if before is not None else 2**62,
                 -1 if limit is None else limit),
            ).fetchall()
            rows.reverse()
        return [_message(row) for row in rows if row[0] not in self._hidden]

    def message(self, message_id: int) -> Message | None:
        row = self._conn.execute(
            f"SELECT {_MSG_COLUMNS} FROM messages WHERE id = ?", (message_id,)
        ).fetchone()
        return _message(row) if row else None

    def add_message(self, conversation_id: int, role: str, content: str = "",
                    state: MessageState = MessageState.DONE, *,
                    parent_id: int | None = ACTIVE, tool_calls: str = "",
                    tool_call_id: str = "", meta: str = "") -> Message:
        """Add a message under `parent_id` (by default the end of the branch on show) and
        make it the active leaf; the first user message also names an untitled
        conversation."""
        now = time.time()
        with self._transaction():
            if parent_id == ACTIVE:
                path = self.active_path(conversation_id)
                parent_id = path[-1] if path else None
            elif parent_id != branches.stored_leaf(self._conn, conversation_id):
                branches.remember(self._conn, conversation_id, self.tree(conversation_id),
                                  (parent_id,))
            new_id = None
            if self._id_floor:
                top = self._conn.execute("SELECT MAX(id) FROM messages").fetchone()[0]
                new_id = max(top or 0, self._id_floor) + 1
            cur = self._conn.execute(
                "INSERT INTO messages (id, conversation_id, role, content, state, created_at,"
                " updated_at, parent_id, tool_calls, tool_call_id, meta)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id, conversation_id, role, content, str(state), now, now, parent_id,
                 tool_calls, tool_call_id, meta),
            )
            self._conn.execute("UPDATE conversations SET updated_at = ?, active_leaf = ?"
                               " WHERE id = ?", (now, cur.lastrowid, conversation_id))
            if role == "user":
                self._conn.execute(
                    "UPDATE conversations SET title = ? WHERE id = ? AND title = ''",
                    (title_from(content), conversation_id),
                )
        message = self.message(int(cur.lastrowid or 0))
        assert message is not None
        return message

    def add_exchange(self, conversation_id: int, text: str, parent_id: int | None = ACTIVE,
                     *, files_of: int | None = None,
                     files: tuple[Sequence[int], Sequence[int]] | None = None
                     ) -> tuple[Message, Message]:
        """The user's message (under `parent_id`) and an empty streaming reply under it,
        both or neither on disk; the reply becomes the active leaf. The user message takes
        the composer's attachments; or (`files_of`: an edited message) that message's; or
        (`files`: an edit whose chips were changed) the rows kept and the rows taken, as
        attachments.give puts them."""
        with self._transaction():
            user = self.add_message(conversation_id, "user", text, parent_id=parent_id)
            if files is not None:
                attachments.give(self._conn, conversation_id, user.id, *files)
            elif files_of is None:
                attachments.link_pending(self._conn, conversation_id, user.id)
            else:
                attachments.copy_to(self._conn, files_of, user.id)
            if not text.strip():  # files alone: the first file's name is the title
                self._conn.execute(
                    "UPDATE conversations SET title = (SELECT name FROM attachments"
                    " WHERE message_id = ? ORDER BY position LIMIT 1) WHERE id = ?"
                    " AND title = '' AND EXISTS (SELECT 1 FROM attachments"
                    " WHERE message_id = ?)", (user.id, conversation_id, user.id))
            reply = self.add_message(conversation_id, "assistant", "", MessageState.STREAMING,
                                     parent_id=user.id)
        return user, reply

    # The tree (store/branches.py)

    def tree(self, conversation_id: int) -> Tree:
        return branches.tree(self._conn, conversation_id, frozenset(self._hidden))

    def active_path(self, conversation_id: int, tree: Tree | None = None) -> list[int]:
        """Message ids from the first message to the active leaf."""
        return branches.active_path(self._conn, conversation_id,
                                    tree if tree is not None else self.tree(conversation_id))

    def active_leaf(self, conversation_id: int) -> int | None:
        return branches.leaf(self._conn, conversation_id, frozenset(self._hidden))

    def path_page(self, end: int, limit: int) -> list[int]:
        """Up to `limit` ids of the path from the first message to `end`, its end."""
        return branches.ancestors(self._conn, end, limit)

    def forks_of(self, conversation_id: int, ids: list[int]) -> dict[int, tuple[int, int]]:
        """For these messages, those with siblings: (place, count), read from their
        siblings only."""
        return branches.forks_of(self._conn, conversation_id, ids, frozenset(self._hidden))

    def message_sizes(self, conversation_id: int) -> dict[int, tuple[str, MessageState, int]]:
        """Each message's role, state and UTF-8 size in bytes, without reading its text
        (the context estimate of a 10,000-message conversation)."""
        rows = self._conn.execute(
            "SELECT id, role, state, length(CAST(content AS BLOB)) FROM messages"
            " WHERE conversation_id = ?", (conversation_id,)).fetchall()
        return {mid: (role, MessageState(state), size or 0) for mid, role, state, size in rows}

    def path_messages(self, ids: list[int]) -> list[Message]:
        """These messages, in this order (a path, or a page of one)."""
        return [_message(row) for row in branches.rows(self._conn, ids)]

    def set_active_leaf(self, conversation_id: int, leaf: int | None,
                        tree: Tree | None = None) -> None:
        """Show the branch ending at `leaf`; each fork on the branch left keeps its leaf
        (branches.remember), so coming back shows it as it was left. `tree`: the
        conversation's, if the caller has just read it."""
        with self._transaction():
            branches.remember(self._conn, conversation_id,
                              tree if tree is not None else self.tree(conversation_id))
            branches.set_leaf(self._conn, conversation_id, leaf)

    def leaf_below(self, message_id: int, tree: Tree | None = None) -> int | None:
        """The leaf to show when `message_id` comes on show: the one last on show below
        it, else the end of its newest branch; None if there is no such message."""
        message = self.message(message_id)
        if message is None or message_id in self._hidden:
            return None
        tree = tree if tree is not None else self.tree(message.conversation_id)
        return branches.leaf_below(self._conn, tree, message_id)

    @property
    def hidden(self) -> frozenset[int]:
        """Messages deleted within their undo time (hide_subtree), left out of reads."""
        return frozenset(self._hidden)

    def leave_out(self, ids: frozenset[int]) -> None:
        """Leave these messages out of every read too: another connection to the same file
        (an export's) then sees what the app shows."""
        self._hidden.update(ids)

    def hide_subtree(self, message_id: int) -> tuple[list[int], int | None]:
        """Delete a message and everything below it from every read, keeping the rows until
        erase_hidden (undo: unhide). The active leaf moves to the branch of the newest
        remaining sibling as it was left, else to the parent. (The ids, the leaf before.)"""
        message = self.message(message_id)
        if message is None or message_id in self._hidden:
            return [], None
        cid = message.conversation_id
        with self._transaction():
            tree = self.tree(cid)
            before = self.active_path(cid, tree)
            doomed = tree.subtree(message_id)
            others = [s for s in tree.siblings(message_id) if s != message_id]
            if before and before[-1] in doomed:
                leaf = (branches.leaf_below(self._conn, tree, others[-1]) if others
                        else message.parent_id)
                branches.remember(self._conn, cid, tree)
                branches.set_leaf(self._conn, cid, leaf)
        self._hidden.update(doomed)
        return doomed, before[-1] if before else None

    def unhide(self, conversation_id: int, ids: list[int], leaf: int | None) -> bool:
        """Undo hide_subtree: the messages are back and `leaf` is on show again; False if
        they were erased meanwhile."""
        if not ids or not self._hidden.issuperset(ids):
            return False
        self._hidden.difference_update(ids)
        self.set_active_leaf(conversation_id, leaf)
        return True

    def erase_hidden(self, ids: list[int]) -> None:
        """Make a hide_subtree final: the rows (and their index entries) go."""
        with self._transaction():
            branches.delete(self._conn, ids)
        self._hidden.difference_update(ids)
        if ids:
            self._id_floor = max(self._id_floor, *ids)

    def update_message(self, message_id: int, *, content: str | None = None,
                       state: MessageState | None = None, error: str | None = None,
                       usage: str | None = None, failure: Failure | None = None,
                       reasoning: str | None = None, reasoning_ms: int | None = None,
                       tool_calls: str | None = None,
                       tool_meta: dict[str, Any] | None = None,
                       meta_keys: Mapping[str, Any] | None = None) -> None:
        """Set the fields given (`tool_meta` is `meta`'s "tool" key, core.messages.tool_info;
        `meta_keys` sets other keys of `meta`, each feature's own, leaving the rest).
        `error` and `failure` go together: setting `error` (even to
        "") also sets the stored kind to `failure`'s, or clears it."""
        fields: dict[str, object] = {"content": content, "state": state, "error": error,
                                     "usage": usage, "reasoning": reasoning,
                                     "reasoning_ms": reasoning_ms, "tool_calls": tool_calls}
        if error is not None:
            fields["error_kind"] = failure.kind if failure is not None else ""
            fields["error_params"] = failure.to_json() if failure is not None else ""
        values = {name: (str(v) if isinstance(v, StrEnum) else v)
                  for name, v in fields.items() if v is not None}
        keys = dict(meta_keys or {})
        if tool_meta is not None:
            keys["tool"] = tool_meta
        if not values and not keys:
            return
        values["updated_at"] = time.time()
        assignments = ", ".join(f"{name} = ?" for name in values)
        parameters: list[object] = list(values.values())
        if keys:  # each its own key in `meta`; the others' keys stay
            if not all(key.isidentifier() for key in keys):
                raise ValueError(f"meta keys must be plain names: {sorted(keys)}")
            assignments += (", meta = json_set(CASE WHEN meta = '' OR NOT json_valid(meta)"
                            " THEN '{}' ELSE meta END"
                            + ", ?, json(?)" * len(keys) + ")")
            for key, value in keys.items():
                parameters += [f"$.{key}", json.dumps(value, ensure_ascii=False,
                                                      sort_keys=True)]
        self._conn.execute(f"UPDATE messages SET {assignments} WHERE id = ?",
                           (*parameters, message_id))

    def save_partial(self, message_id: int, number: int, content: str, reasoning: str,
                     reasoning_ms: int) -> None:
        """What a streaming reply gained since its last save, beside its row: cheap
        whatever the reply's length (store/partials.py). The first piece (`number` 1)
        drops any left by an earlier run of the same row whose final save never landed."""
        with self._transaction():
            if number == 1:
                partials.drop(self._conn, message_id)
            partials.add(self._conn, message_id, number, content, reasoning, reasoning_ms)

    def save_reply(self, message_id: int, **fields: Any) -> None:
        """A reply's row written whole (update_message's fields), and the pieces saved
        while it streamed dropped in the same transaction."""
        with self._transaction():
            self.update_message(message_id, **fields)
            partials.drop(self._conn, message_id)

    def recover_interrupted(self) -> int:
        """Mark replies that were streaming when the last run died, their saved pieces
        joined on; return how many."""
        with self._transaction():
            partials.fold(self._conn, str(MessageState.STREAMING))
            cur = self._conn.execute(
                "UPDATE messages SET state = ? WHERE state = ?",
                (str(MessageState.INTERRUPTED), str(MessageState.STREAMING)))
        return cur.rowcount

    # Full-text search (store/search.py)

    def search(self, text: str, limit: int = 50,
               exclude: frozenset[int] = frozenset()) -> list[SearchHit]:
        """Messages holding every word of `text`, best first; `exclude` hides conversations."""
        return fts.search(self._conn, text, limit, exclude, frozenset(self._hidden))

    # Small app state (window geometry, last conversation)

    def get_state(self, key: str, default: str | None = None) -> str | None:
        row = self._conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_state(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT; inside an open transaction it simply joins it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._outer = False

    def __enter__(self) -> None:
        self._outer = not self._conn.in_transaction
        if self._outer:
            self._conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_: object) -> None:
        if not (self._outer and self._conn.in_transaction):
            return
        if exc_type:
            self._conn.execute("ROLLBACK")
            return
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error:  # a full disk can fail the commit itself: undo, then report
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise


def _generation_text(value: Any) -> str:
    """An imported conversation's generation settings as stored (JSON text; '' = none).
    They are checked where they are read (config/generation.loads), as any stored ones."""
    if isinstance(value, dict) and value:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return ""


def _conversation(row: tuple[Any, ...]) -> Conversation:
    cid, title, created, updated, pinned, provider, model, system_prompt, draft, uid, gen = row
    return Conversation(cid, title, created, updated, bool(pinned), provider, model,
                        system_prompt, draft, uid or "", gen or "")


def _message(row: tuple[Any, ...]) -> Message:
    (mid, cid, role, content, state, error, usage, created, updated, kind, params, parent,
     reasoning, reasoning_ms, tool_calls, tool_call_id, meta) = row
    return Message(mid, cid, role, content, MessageState(state), error, usage, created, updated,
                   Failure.from_row(kind, params), parent, reasoning or "",
                   int(reasoning_ms or 0), tool_calls or "", tool_call_id or "", meta or "")

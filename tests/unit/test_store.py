"""The history file: WAL, versioned schema, states, titles, order."""

from __future__ import annotations

import sqlite3

import pytest

from opchat_gui.store import History, MessageState
from opchat_gui.store.history import title_from
from opchat_gui.store.schema import SCHEMA_VERSION, NewerSchemaError


def test_new_file_is_wal_and_versioned(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    history.close()
    with sqlite3.connect(tmp_path / "h.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_messages_keep_role_state_and_order(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    conversation = history.create_conversation()
    history.add_message(conversation.id, "user", "Hello there\nsecond line")
    reply = history.add_message(conversation.id, "assistant", "", MessageState.STREAMING)
    history.update_message(reply.id, content="partial", state=MessageState.FAILED,
                           error="The server reported an error: boom.")
    history.close()

    reopened = History.open(tmp_path / "h.sqlite3")
    [conv] = reopened.conversations()
    assert conv.title == "Hello there"
    user, stored = reopened.messages(conv.id)
    assert (user.role, user.content, user.state) == ("user", "Hello there\nsecond line",
                                                     MessageState.DONE)
    assert (stored.content, stored.state, stored.error) == (
        "partial", MessageState.FAILED, "The server reported an error: boom.")
    reopened.close()


def test_streaming_rows_become_interrupted_on_recovery(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    conversation = history.create_conversation()
    reply = history.add_message(conversation.id, "assistant", "half", MessageState.STREAMING)
    assert history.recover_interrupted() == 1
    assert history.message(reply.id).state == MessageState.INTERRUPTED
    history.close()


def test_conversations_newest_activity_first(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    older = history.create_conversation()
    newer = history.create_conversation()
    assert [c.id for c in history.conversations()] == [newer.id, older.id]
    history.add_message(older.id, "user", "bump")
    assert [c.id for c in history.conversations()] == [older.id, newer.id]
    history.close()


def test_the_conversation_list_carries_the_last_activity(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    conversation = history.create_conversation("Dated")
    message = history.add_message(conversation.id, "user", "hi", MessageState.DONE)
    [summary] = history.conversation_list()
    assert summary.updated_at == history.conversation(conversation.id).updated_at
    assert summary.updated_at >= message.created_at


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "h.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="only knows"):
        History.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(("text", "title"), [
    ("  \n  First line\nsecond", "First line"),
    ("word " * 30, "word word word word word word word word word word word word…"),
    ("", ""),
])
def test_titles_come_from_the_first_line(text, title):
    assert title_from(text) == title

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


def test_a_streaming_replys_saved_pieces_join_its_row_when_a_run_died(tmp_path):
    """While a reply streams only its growth is saved (store/partials.py); a run killed
    then leaves the row as it started plus the pieces, and the next start's recovery
    joins them in order. A reply whose final save landed keeps its text; its stray pieces go."""
    path = tmp_path / "h.sqlite3"
    history = History.open(path)
    conversation = history.create_conversation()
    died = history.add_message(conversation.id, "assistant", "Kept. ", MessageState.STREAMING)
    ended = history.add_message(conversation.id, "assistant", "", MessageState.STREAMING)
    for number, (text, thought) in enumerate([("one ", "think "), ("two ", ""),
                                              ("", "more"), ("three", "")], start=1):
        history.save_partial(died.id, number, text, thought, 40 * number)
    history.save_partial(ended.id, 1, "stray", "", 0)
    history.update_message(ended.id, content="The whole answer.", state=MessageState.DONE)
    history.close()  # no final save for `died`: as if the process were killed

    on_disk = sqlite3.connect(path)
    assert on_disk.execute("SELECT content FROM messages WHERE id = ?",
                           (died.id,)).fetchone() == ("Kept. ",)  # the pieces are beside it
    on_disk.close()
    reopened = History.open(path)
    assert reopened.recover_interrupted() == 1  # as the app's start does (store/recovery.py)
    recovered = reopened.message(died.id)
    assert (recovered.content, recovered.reasoning, recovered.reasoning_ms,
            recovered.state) == ("Kept. one two three", "think more", 160,
                                 MessageState.INTERRUPTED)
    assert reopened.message(ended.id).content == "The whole answer."
    assert reopened.recover_interrupted() == 0  # nothing left to join twice
    assert reopened.message(died.id).content == "Kept. one two three"
    reopened.close()


def test_a_replys_whole_save_drops_the_pieces_saved_while_it_streamed(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    conversation = history.create_conversation()
    reply = history.add_message(conversation.id, "assistant", "", MessageState.STREAMING)
    history.save_partial(reply.id, 1, "Hel", "", 0)
    history.save_reply(reply.id, content="Hello", state=MessageState.STREAMING)
    history.save_partial(reply.id, 2, " world", "", 0)
    assert history.recover_interrupted() == 1  # the whole row, then only what came after
    assert history.message(reply.id).content == "Hello world"
    # A row asked again: the first piece of the new run drops any an old run left.
    history.save_reply(reply.id, content="", state=MessageState.STREAMING)
    history.save_partial(reply.id, 2, " stale", "", 0)  # (its final save never landed)
    history.save_partial(reply.id, 1, "Again", "", 0)
    history.recover_interrupted()
    assert history.message(reply.id).content == "Again"
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

"""store.glance: the list the first frame shows, read without opening the history."""

from __future__ import annotations

import os

from opchat_gui.store import History
from opchat_gui.store.glance import glance
from opchat_gui.store.schema import SCHEMA_VERSION


def test_the_list_and_state_as_the_history_has_them(tmp_path):
    database = tmp_path / "history.sqlite3"
    history = History.open(database)
    first = history.create_conversation("first")
    second = history.create_conversation("second")
    history.update_conversation(first.id, pinned=1)
    history.set_state("window/geometry", "abcd")
    expected = history.conversation_list()
    history.close()
    seen = glance(database, ("window/geometry", "window/missing"))
    assert seen.conversations == expected
    assert [c.id for c in seen.conversations] == [first.id, second.id]  # pinned first
    assert seen.state == {"window/geometry": "abcd"} and not seen.newer


def test_what_it_cannot_read_is_an_empty_glance(tmp_path):
    assert glance(tmp_path / "missing.sqlite3").conversations == []
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(os.urandom(5000))
    assert glance(garbage).conversations == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garbage.sqlite3"]


def test_a_newer_file_is_not_opened_at_all(tmp_path):
    database = tmp_path / "history.sqlite3"
    history = History.open(database)
    history.create_conversation("from the future")
    history.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    history.close()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    seen = glance(database)
    assert seen.newer and seen.conversations == []
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no -shm either


def test_a_read_past_its_budget_gives_up(tmp_path):
    database = tmp_path / "history.sqlite3"
    history = History.open(database)
    for number in range(2000):
        history.create_conversation(f"c{number}")
    history.close()
    assert len(glance(database).conversations) == 2000
    assert glance(database, budget=0.0).conversations == []  # stopped at its first look


def test_a_history_still_in_its_log_is_read_too(tmp_path):
    """A file made by a run that was killed before a checkpoint: its header still says
    version 0, the schema and the rows are in the -wal file."""
    database = tmp_path / "history.sqlite3"
    history = History.open(database)  # kept open: nothing is checkpointed
    conversation = history.create_conversation("only in the log")
    try:
        assert (tmp_path / "history.sqlite3-wal").stat().st_size > 0
        assert [c.id for c in glance(database).conversations] == [conversation.id]
    finally:
        history.close()

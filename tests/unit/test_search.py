"""Full-text search over a real SQLite file: scripts, case, ranking, edits, deletes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from opchat_gui.store import History
from opchat_gui.store.schema import MIGRATIONS, SCHEMA_VERSION
from opchat_gui.store.search import MARK_END, MARK_START, match_expression


@pytest.fixture
def history(tmp_path: Path):
    opened = History.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def ids(hits) -> list[int]:
    return [hit.message_id for hit in hits]


def test_finds_latin_and_cyrillic_words_with_case_folding(history):
    talk = history.create_conversation("Travel")
    latin = history.add_message(talk.id, "user", "Which Trains run from Zürich to Milan?")
    cyrillic = history.add_message(talk.id, "assistant", "Поезда ходят каждый ЧАС, билеты онлайн.")
    history.add_message(talk.id, "user", "Thanks, nothing else.")

    assert ids(history.search("trains")) == [latin.id]
    assert ids(history.search("TRAINS")) == [latin.id]
    assert ids(history.search("zurich")) == [latin.id]  # diacritics folded
    assert ids(history.search("поезда")) == [cyrillic.id]
    assert ids(history.search("час")) == [cyrillic.id]  # stored upper case, searched lower
    assert ids(history.search("БИЛЕТЫ")) == [cyrillic.id]
    assert history.search("aeroplane") == []
    [hit] = history.search("Поезда")
    assert hit.title == "Travel" and hit.conversation_id == talk.id and hit.role == "assistant"
    assert f"{MARK_START}Поезда{MARK_END}" in hit.snippet


def test_every_word_must_match_and_the_last_one_may_be_a_prefix(history):
    talk = history.create_conversation()
    both = history.add_message(talk.id, "user", "install python packages offline")
    one = history.add_message(talk.id, "user", "install the printer driver")
    assert set(ids(history.search("install"))) == {both.id, one.id}
    assert ids(history.search("install python")) == [both.id]
    assert ids(history.search("install pyth")) == [both.id]  # typing: last word is a prefix
    assert ids(history.search("pack")) == [both.id]
    assert history.search("py") == []  # too short to be a prefix: whole words only


def test_hits_are_ranked_by_relevance(history):
    talk = history.create_conversation()
    passing = history.add_message(
        talk.id, "assistant",
        "A long answer about many topics: gardens, weather, cooking, travel, history,"
        " music and one mention of kayaks somewhere in the middle of it all, then more.")
    focused = history.add_message(talk.id, "user", "kayaks kayaks kayaks")
    middle = history.add_message(talk.id, "user", "Kayaks for two people: which kayaks?")
    assert ids(history.search("kayaks")) == [focused.id, middle.id, passing.id]
    ranks = [hit.rank for hit in history.search("kayaks")]
    assert ranks == sorted(ranks)


def test_search_follows_edits_and_deletes(history):
    talk = history.create_conversation()
    other = history.create_conversation()
    reply = history.add_message(talk.id, "assistant", "", )
    assert history.search("streaming") == []
    history.update_message(reply.id, content="streaming text so far")  # a streaming save
    assert ids(history.search("streaming")) == [reply.id]
    history.update_message(reply.id, content="edited to something different")
    assert history.search("streaming") == []
    assert ids(history.search("different")) == [reply.id]

    kept = history.add_message(other.id, "user", "different story")
    ids_gone, _leaf = history.hide_subtree(reply.id)  # a delete within its undo time
    assert ids(history.search("different")) == [kept.id]
    history.erase_hidden(ids_gone)
    assert ids(history.search("different")) == [kept.id]
    history.delete_conversation(other.id)  # cascades to its messages and their index rows
    assert history.search("different") == []
    assert history.search("story") == []


def test_exclude_hides_conversations(history):
    first = history.create_conversation()
    second = history.create_conversation()
    a = history.add_message(first.id, "user", "shared word")
    b = history.add_message(second.id, "user", "shared word")
    assert set(ids(history.search("shared"))) == {a.id, b.id}
    assert ids(history.search("shared", exclude=frozenset({second.id}))) == [a.id]


@pytest.mark.parametrize("typed", ['"', "*", "AND OR NOT", "a:b", "(x", "NEAR(", "^", "-"])
def test_query_syntax_in_user_input_is_harmless(history, typed):
    talk = history.create_conversation()
    history.add_message(talk.id, "user", "plain words AND OR NOT near")
    history.search(typed)  # must not raise
    assert match_expression('say "hi"') == '"say" "hi"'


def test_migration_backfills_messages_written_before_it(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO conversations (id, title, created_at, updated_at)"
                 " VALUES (1, 'old', 0, 0)")
    conn.execute("INSERT INTO messages (id, conversation_id, role, content, created_at,"
                 " updated_at) VALUES (7, 1, 'user', 'Старое сообщение about llamas', 0, 0)")
    conn.close()
    history = History.open(path)
    try:
        assert history._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert ids(history.search("llamas")) == [7]
        assert ids(history.search("сообщение")) == [7]
    finally:
        history.close()

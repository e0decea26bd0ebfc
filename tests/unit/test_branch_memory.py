"""What the store remembers about branches (issue 13): the leaf last on show below each
fork, kept across restarts, and a deleted subtree that stays on disk until its undo time
is over (a crash before then brings it back). Real SQLite files; no Qt."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from opchat_gui.store import History


def talk(history: History) -> dict[str, int]:
    """Q1 with an edit Q1e; under Q1: A1, Q2, and two replies A2a, A2b (regenerated)."""
    cid = history.create_conversation("Forks").id
    q1 = history.add_message(cid, "user", "Q1").id
    a1 = history.add_message(cid, "assistant", "A1").id
    q2 = history.add_message(cid, "user", "Q2").id
    a2a = history.add_message(cid, "assistant", "A2a").id
    a2b = history.add_message(cid, "assistant", "A2b", parent_id=q2).id
    q1e = history.add_message(cid, "user", "Q1e", parent_id=None).id
    a1e = history.add_message(cid, "assistant", "A1e").id
    return {"cid": cid, "q1": q1, "a1": a1, "q2": q2, "a2a": a2a, "a2b": a2b, "q1e": q1e,
            "a1e": a1e}


def switch_to(history: History, cid: int, message_id: int) -> list[int]:
    history.set_active_leaf(cid, history.leaf_below(message_id))
    return history.active_path(cid)


def test_coming_back_to_a_fork_shows_the_branch_as_it_was_left_even_after_a_restart(
        tmp_path: Path) -> None:
    history = History.open(tmp_path / "h.sqlite3")
    m = talk(history)
    cid = m["cid"]
    # Never left: a sibling shows its newest branch.
    assert switch_to(history, cid, m["q1"]) == [m["q1"], m["a1"], m["q2"], m["a2b"]]
    assert switch_to(history, cid, m["a2a"]) == [m["q1"], m["a1"], m["q2"], m["a2a"]]
    assert switch_to(history, cid, m["q1e"]) == [m["q1e"], m["a1e"]]
    # Back at Q1: the older reply it was left on, not the newest one.
    assert switch_to(history, cid, m["q1"]) == [m["q1"], m["a1"], m["q2"], m["a2a"]]
    assert switch_to(history, cid, m["q1e"])[-1] == m["a1e"]
    history.close()
    history = History.open(tmp_path / "h.sqlite3")
    assert history.active_path(cid) == [m["q1e"], m["a1e"]]
    assert switch_to(history, cid, m["q1"])[-1] == m["a2a"]
    history.close()


def test_an_edit_remembers_the_branch_it_leaves(tmp_path: Path) -> None:
    """Q1 had no sibling before the edit: the edit itself must keep where Q1 was left."""
    history = History.open(tmp_path / "h.sqlite3")
    cid = history.create_conversation().id
    q1 = history.add_message(cid, "user", "Q1").id
    history.add_message(cid, "assistant", "A1")
    a1b = history.add_message(cid, "assistant", "A1b", parent_id=q1).id
    a1c = history.add_message(cid, "assistant", "A1c", parent_id=q1).id
    assert switch_to(history, cid, a1b) == [q1, a1b]  # the middle reply on show
    history.add_message(cid, "user", "Q1 edited", parent_id=None)  # the edit
    history.add_message(cid, "assistant", "edited reply")
    assert switch_to(history, cid, q1) == [q1, a1b]  # not a1c, the newest
    assert a1c in history.tree(cid)
    history.close()


def test_the_remembered_leaf_keeps_other_meta_and_leaves_odd_meta_alone(
        tmp_path: Path) -> None:
    history = History.open(tmp_path / "h.sqlite3")
    m = talk(history)
    cid = m["cid"]
    conn = history.connection
    conn.execute("UPDATE messages SET meta = ? WHERE id = ?",
                 (json.dumps({"generation": {"temperature": 0.2}}), m["q1"]))
    conn.execute("UPDATE messages SET meta = '[1, 2]' WHERE id = ?", (m["a2a"],))
    switch_to(history, cid, m["a2a"])
    switch_to(history, cid, m["q1e"])
    meta = json.loads(conn.execute("SELECT meta FROM messages WHERE id = ?",
                                   (m["q1"],)).fetchone()[0])
    assert meta == {"generation": {"temperature": 0.2}, "last_leaf": m["a2a"]}
    assert conn.execute("SELECT meta FROM messages WHERE id = ?",
                        (m["a2a"],)).fetchone()[0] == "[1, 2]"
    # A remembered id that is not below its message (a stale or imported one) is ignored.
    conn.execute("UPDATE messages SET meta = json_set(meta, '$.last_leaf', ?) WHERE id = ?",
                 (m["a1e"], m["q1"]))
    assert switch_to(history, cid, m["q1"])[-1] == m["a2b"]  # its newest branch
    history.close()


def test_a_hidden_subtree_is_left_out_until_erased_and_a_crash_brings_it_back(
        tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = History.open(path)
    m = talk(history)
    cid = m["cid"]
    switch_to(history, cid, m["q1"])  # Q1 … A2b on show
    gone, leaf_before = history.hide_subtree(m["a1"])
    assert sorted(gone) == sorted([m["a1"], m["q2"], m["a2a"], m["a2b"]])
    assert leaf_before == m["a2b"]
    assert history.active_path(cid) == [m["q1"]]
    assert m["a1"] not in history.tree(cid) and not history.search("A2b")
    assert {x.id for x in history.messages(cid)} == {m["q1"], m["q1e"], m["a1e"]}
    assert history.forks_of(cid, [m["q1"]]) == {m["q1"]: (1, 2)}
    history.close()  # a crash: nothing erased the rows
    history = History.open(path)
    assert history.active_path(cid) == [m["q1"], m["a1"], m["q2"], m["a2b"]]
    # Hidden again, then undone: every message and the leaf before are back.
    gone, leaf_before = history.hide_subtree(m["q2"])
    assert history.active_path(cid) == [m["q1"], m["a1"]]
    assert history.unhide(cid, gone, leaf_before)
    assert history.active_path(cid) == [m["q1"], m["a1"], m["q2"], m["a2b"]]
    # Hidden and erased: gone from disk for good.
    gone, _ = history.hide_subtree(m["q2"])
    history.erase_hidden(gone)
    assert not history.unhide(cid, gone, None)
    history.close()
    with sqlite3.connect(path) as conn:
        left = {row[0] for row in conn.execute("SELECT content FROM messages")}
    assert left == {"Q1", "A1", "Q1e", "A1e"}
    history = History.open(path)
    assert history.active_path(cid) == [m["q1"], m["a1"]]
    history.close()

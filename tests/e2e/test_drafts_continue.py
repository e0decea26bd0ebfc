"""Unsent text survives switching and restarting; an interrupted reply can be continued."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.chat.replies import CONTINUE_PROMPT
from opchat_gui.demo.aiengine_server import demo_reply
from opchat_gui.store import History, MessageState
from tests.conftest import wait_until
from tests.e2e.test_app_keys import type_and_send

CTRL = Qt.KeyboardModifier.ControlModifier


def drafts_on_disk(data_dir) -> dict:
    """Read the file with a separate connection: what a crash right now would leave."""
    conn = sqlite3.connect(data_dir / "history.sqlite3")
    try:
        found = dict(conn.execute("SELECT id, draft FROM conversations").fetchall())
        row = conn.execute("SELECT value FROM kv WHERE key = 'draft/new'").fetchone()
        found[None] = row[0] if row else ""
        return found
    finally:
        conn.close()


def test_drafts_survive_switching_and_restarting(open_app, server, run, data_dir):
    session = open_app("--url", server.url)
    window = session.window
    for question in ("first question", "second question"):
        QTest.keyClick(window, Qt.Key.Key_N, CTRL)
        type_and_send(window, question)
        run(wait_until(lambda: not session.service.busy()))
    second = window.current_id
    QTest.keyClicks(window.composer, "draft for the second")
    # Saved while typing (debounced), before any switch or close.
    run(wait_until(lambda: drafts_on_disk(data_dir).get(second) == "draft for the second",
                   what="the debounced draft save"))
    QTest.keyClick(window.composer, Qt.Key.Key_PageDown, CTRL)
    first = window.current_id
    assert first != second and window.composer.toPlainText() == ""
    QTest.keyClicks(window.composer, "draft for the first")
    QTest.keyClick(window.composer, Qt.Key.Key_PageUp, CTRL)  # saved on switch
    assert window.composer.toPlainText() == "draft for the second"
    assert drafts_on_disk(data_dir)[first] == "draft for the first"
    QTest.keyClick(window, Qt.Key.Key_N, CTRL)
    QTest.keyClicks(window.composer, "not yet a conversation")
    window.close()
    run(session.close())
    assert drafts_on_disk(data_dir)[None] == "not yet a conversation"  # saved on close

    again = open_app("--url", server.url)
    window = again.window
    assert window.composer.toPlainText() == "not yet a conversation"
    window.open_conversation(first)
    assert window.composer.toPlainText() == "draft for the first"
    window.open_conversation(second)
    assert window.composer.toPlainText() == "draft for the second"
    type_and_send(window, " sent now")
    run(wait_until(lambda: not again.service.busy()))
    assert window.composer.toPlainText() == ""
    assert drafts_on_disk(data_dir)[second] == ""  # a sent draft is gone from disk too


def test_an_interrupted_reply_continues_in_place(open_app, server, run, data_dir):
    data_dir.mkdir(parents=True)
    history = History.open(data_dir / "history.sqlite3")
    conversation = history.create_conversation()
    question = "Tell me about durable storage"
    history.add_message(conversation.id, "user", question)
    partial = demo_reply(question)[:60]
    history.add_message(conversation.id, "assistant", partial, MessageState.STREAMING)
    history.set_state("window/last_conversation", str(conversation.id))
    history.close()  # as a killed app leaves it

    session = open_app("--url", server.url)
    window = session.window
    assert window.current_id == conversation.id
    text = window.transcript.toPlainText()
    assert "Interrupted" in text and "Retry (Ctrl+R)" in text
    assert "Continue (Ctrl+Shift+R)" in text

    QTest.keyClick(window.composer, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)
    run(wait_until(lambda: server.requests and not session.service.busy(),
                   what="the continuation"))
    sent = server.requests[-1].json  # the new turn goes only in newMessage
    assert sent["messages"][-1] == {"role": "assistant", "content": partial}
    assert sent["newMessage"] == CONTINUE_PROMPT
    [user, reply] = session.service.messages(conversation.id)
    assert user.content == question
    assert reply.state == MessageState.DONE
    assert reply.content == partial + demo_reply(CONTINUE_PROMPT)  # appended to the same reply
    assert "Interrupted" not in window.transcript.toPlainText()

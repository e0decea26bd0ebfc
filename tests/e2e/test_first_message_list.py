"""The first message of a new conversation: its row, selection and header come once its
request has left (the list waits LIST_AFTER_SEND_MS, as for any send: B9 latency), and at
once when nothing is sent; the message is on disk either way before anything else."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.ui.widgets.conversation_list import ID_ROLE
from tests.conftest import wait_until


def test_a_new_conversations_row_and_header_follow_its_first_send(open_app, server, run,
                                                                 data_dir):
    session = open_app("--url", server.url)
    window = session.window
    assert window.current_id is None and window.sidebar.model().rowCount() == 0
    QTest.keyClicks(window.composer, "A brand new chat")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    conversation = window.current_id
    assert conversation is not None and window.composer.toPlainText() == ""
    with sqlite3.connect(data_dir / "history.sqlite3") as other:  # saved before it left
        assert other.execute("SELECT content FROM messages WHERE role = 'user'").fetchall() \
            == [("A brand new chat",)]
    run(wait_until(lambda: window.sidebar.currentIndex().data(ID_ROLE) == conversation,
                   what="the new row, selected"))
    assert window.header.title.text() == "A brand new chat"
    run(wait_until(lambda: not session.service.is_streaming(conversation),
                   what="the reply to finish"))
    assert session.service.messages(conversation)[-1].state.value == "done"


def test_a_refused_first_message_shows_its_conversation_at_once(open_app, server, run):
    session = open_app("--url", server.url)  # the plugin's 512-character input limit
    window = session.window
    QTest.keyClicks(window.composer, "x" * 600)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.composer.toPlainText() == "x" * 600  # kept, not sent
    conversation = window.current_id
    assert conversation is not None
    assert window.sidebar.currentIndex().data(ID_ROLE) == conversation  # no wait: not sent

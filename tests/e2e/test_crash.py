"""History survives a crash: SIGKILL mid-stream leaves the message and the partial reply."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opchat_gui.demo.aiengine_server import ThreadedDevServer, demo_reply
from opchat_gui.store import History, MessageState, partials

QUESTION = "Will this survive a crash?"


def saved_reply(database: Path) -> tuple[str, str] | None:
    """The reply's text on disk and its state: its row, and the pieces saved beside it
    while it streams (store/partials.py), in order."""
    if not database.exists():
        return None
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        found = conn.execute(
            "SELECT id, state FROM messages WHERE role = 'assistant' ORDER BY id DESC"
        ).fetchone()
        row = None if found is None else (partials.saved(conn, found[0])[0], found[1])
    except sqlite3.OperationalError:  # schema not created yet
        return None
    finally:
        conn.close()
    return row


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_mid_stream_keeps_message_and_partial_reply(tmp_path, open_app):
    data_dir = tmp_path / "data"
    database = data_dir / "history.sqlite3"
    with ThreadedDevServer() as server:
        child = subprocess.Popen(
            [sys.executable, str(Path(__file__).parents[1] / "crash_child.py"), str(data_dir),
             server.play_url("slow", delay=0.05), QUESTION],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:  # until a periodic save has put part of the reply on disk
                row = saved_reply(database)
                if row and row[0]:
                    break
                assert child.poll() is None, child.stderr.read() if child.stderr else ""
                assert time.monotonic() < deadline, "no partial reply was saved"
                time.sleep(0.05)
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(10)
            if child.stdout:
                child.stdout.close()
            if child.stderr:
                child.stderr.close()
        assert child.returncode == -signal.SIGKILL

    full = demo_reply(QUESTION)
    saved = saved_reply(database)
    assert saved is not None and saved[1] == MessageState.STREAMING  # as the process left it
    kept = saved[0]
    assert kept and full.startswith(kept) and kept != full
    history = History.open(database)
    try:
        [conversation] = history.conversations()
        user, _reply = history.messages(conversation.id)
        assert (user.role, user.content) == ("user", QUESTION)
    finally:
        history.close()

    # The next start shows it as interrupted, with the partial text rendered and Retry,
    # wherever the kill landed (inside `**`, a code span, a fence or a table).
    session = open_app()
    window = session.window
    window.open_conversation(conversation.id)
    text = window.transcript.toPlainText()
    assert QUESTION in text
    reply_text = text[text.index("Assistant"):text.index("Interrupted")]
    came = re.findall(r"\w+", re.sub(r"```\w*$", "", kept))  # a fence's language waits
    shown = iter(re.findall(r"\w+", reply_text))
    assert all(word in shown for word in came), (kept, reply_text)  # every word, in order
    assert "**" not in reply_text and "`" not in reply_text, reply_text  # no raw markers
    assert "Retry (Ctrl+R)" in text
    recovered = session.service.messages(conversation.id)[-1]
    assert (recovered.state, recovered.content) == (MessageState.INTERRUPTED, kept)

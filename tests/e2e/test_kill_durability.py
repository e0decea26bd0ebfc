"""SIGKILL at random points during streams: what was sent is on disk, replies lose at most
the unsaved tail, and the next start shows the cut-off reply as interrupted."""

from __future__ import annotations

import itertools
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opchat_gui.demo.aiengine_server import ThreadedDevServer, demo_reply
from opchat_gui.store import MessageState

KILLS = 20
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


def rows(database: Path) -> list[tuple[int, str, str, str]]:
    conn = sqlite3.connect(database)
    try:
        return conn.execute("SELECT conversation_id, role, content, state FROM messages"
                            " ORDER BY id").fetchall()
    finally:
        conn.close()


def kill_once(database: Path, url: str, tag: str, after: float) -> list[str]:
    """Start the child, wait until it has sent once, let it stream `after` s, SIGKILL it."""
    child = subprocess.Popen([sys.executable, "-m", "tests.helpers.stream_forever",
                              str(database), url, tag], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        first = child.stdout.readline()
        assert first.startswith("SENT "), (first, child.stderr.read() if child.poll() else "")
        time.sleep(after)  # how long it streams before the kill: the random point
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, err
    return [line[5:].rstrip("\n") for line in [first, *out.splitlines()]
            if line.startswith("SENT ")]


def test_sigkill_at_random_points_loses_no_message_and_only_the_unsaved_tail(
        data_dir, open_app):
    data_dir.mkdir(parents=True)
    database = data_dir / "history.sqlite3"
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    sent: list[str] = []
    interrupted_seen = 0
    with ThreadedDevServer() as server:
        url = server.play_url("slow", delay=0.012)  # a reply streams for about 1.3 s
        for kill in range(KILLS):
            after = rng.uniform(0.0, 2.0)
            sent += kill_once(database, url, f"k{kill}", after)
            messages = rows(database)
            users = [content for _c, role, content, _s in messages if role == "user"]
            # Every message the child had sent is on disk, in order, exactly once. The kill
            # can also land after send() committed a message and before the child printed
            # SENT for it: that one is on disk too (kept, not lost), and at most one such.
            where = f"seed {seed}, kill {kill} after {after:.3f}s"
            assert users[:len(sent)] == sent, where
            assert len(users) - len(sent) <= 1, where
            assert all(text.startswith(f"k{kill} ") for text in users[len(sent):]), where
            sent = users
            # Each reply is a prefix of what the server sends for its question; only the
            # one streaming at the kill may be short, and it is still marked streaming.
            streaming = 0
            for (cid, role, content, _state), nxt in itertools.pairwise(messages):
                if role != "user":
                    continue
                assert nxt[0] == cid and nxt[1] == "assistant", f"seed {seed}"
                full = demo_reply(content)
                reply, reply_state = nxt[2], MessageState(nxt[3])
                assert full.startswith(reply), f"seed {seed}: reply is not a prefix"
                if reply_state == MessageState.DONE:
                    assert reply == full
                elif reply_state == MessageState.STREAMING:
                    streaming += 1
                else:
                    assert reply_state == MessageState.INTERRUPTED  # recovered on restart
                    interrupted_seen += 1
            assert streaming <= 1, f"seed {seed}: more than one reply left streaming"
    assert len(sent) >= KILLS
    assert interrupted_seen  # earlier kills were recovered by the next start

    # Partial replies were saved while streaming, not only at the end.
    assert any(state == "interrupted" and content for _c, role, content, state
               in rows(database) if role == "assistant")

    # The next real start marks the cut-off reply interrupted and offers Retry and Continue.
    session = open_app()
    assert not [r for r in rows(database) if r[3] == "streaming"]
    last_conversation = rows(database)[-1][0]
    session.window.open_conversation(last_conversation)
    last = session.service.messages(last_conversation)[-1]
    assert (last.role, last.state) == ("assistant", MessageState.INTERRUPTED)
    text = session.window.transcript.toPlainText()
    assert "Interrupted" in text and "Retry (Ctrl+R)" in text
    assert ("Continue (Ctrl+Shift+R)" in text) == bool(last.content)

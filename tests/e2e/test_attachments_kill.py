"""SIGKILL at random points while files are attached and sent (issue 15): every row names
a whole file with its own hash, nothing attached and reported is lost, and the next
collection removes only files no row names."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opchat_gui.demo.aiengine_server import ThreadedDevServer
from opchat_gui.store import History

KILLS = 8
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


def kill_once(data_dir: Path, url: str, tag: str, after: float, *,
              after_a_send: bool = False) -> list[str]:
    """Start the child, wait for its first attachment (or, `after_a_send`, its first sent
    message), let it go on `after` s, SIGKILL it; the names it reported attached."""
    child = subprocess.Popen([sys.executable, "-m", "tests.helpers.attach_forever",
                              str(data_dir), url, tag], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        first = child.stdout.readline()
        assert first.startswith("ATTACHED "), (first, child.stderr.read() if child.poll()
                                               else "")
        seen = [first]
        while after_a_send and not seen[-1].startswith("SENT "):
            seen.append(child.stdout.readline())
            assert seen[-1], child.stderr.read()
        time.sleep(after)  # the random point
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, err
    return [line[9:].rstrip("\n") for line in [*seen, *out.splitlines()]
            if line.startswith("ATTACHED ")]


def test_sigkill_while_attaching_leaves_no_dangling_reference(data_dir):
    data_dir.mkdir(parents=True)
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    attached: list[str] = []
    with ThreadedDevServer() as server:
        for kill in range(KILLS):  # the last one surely after a message went with files
            attached += kill_once(data_dir, server.url, f"k{kill}", rng.uniform(0.0, 0.6),
                                  after_a_send=kill == KILLS - 1)
    conn = sqlite3.connect(data_dir / "history.sqlite3")
    try:
        rows = conn.execute("SELECT name, sha256, size, message_id FROM attachments").fetchall()
    finally:
        conn.close()
    names = {name for name, *_ in rows}
    assert set(attached) <= names, f"seed {seed}: reported attached, not on disk"
    folder = data_dir / "attachments"
    for name, sha, size, _message in rows:  # every row's file is whole and is its hash
        blob = folder / sha[:2] / sha
        assert blob.is_file(), f"seed {seed}: {name} names a missing file"
        data = blob.read_bytes()
        assert len(data) == size and hashlib.sha256(data).hexdigest() == sha, name
    assert any(message is not None for *_, message in rows)  # some were sent with messages
    history = History.open(data_dir / "history.sqlite3")
    try:
        assert history.blobs is not None
        history.blobs.collect(history.connection, grace=0)
    finally:
        history.close()
    left = {p.name for p in folder.rglob("*") if p.is_file()}
    assert left == {sha for _n, sha, *_ in rows}, f"seed {seed}: collection kept or lost files"

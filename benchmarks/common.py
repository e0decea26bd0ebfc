"""Shared pieces of the benchmarks: histories made by script, percentiles, JSON output,
and child processes timed from the outside."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

PROSE = [
    "The transcript keeps every message in one document, so selection works across them.",
    "Streaming replies append plain text once per frame and render finished blocks once.",
    "Older messages render in small batches at the top while the newest show at once.",
    "A **bold** claim, some *emphasis*, `inline code` and a [link](https://example.org).",
]
CODE = [
    "```python\ndef area(r: float) -> float:\n    return 3.14159 * r * r\n```",
    "```js\nconst xs = [1, 2, 3].map((x) => x * x);\nconsole.log(xs);\n```",
    "```sh\nopchat-gui --demo --data-dir /tmp/d\n```",
]


def message_text(index: int, rng: random.Random) -> str:
    """Mixed prose and code, a few hundred characters: a typical chat message."""
    parts = [" ".join(rng.choice(PROSE) for _ in range(rng.randint(1, 3)))]
    if index % 3 == 0:
        parts.append(rng.choice(CODE))
    if index % 7 == 0:
        parts.append("- one point\n- another point\n- a third one")
    return "\n\n".join(parts)


def make_history(data_dir: Path, *, conversations: int, big_messages: int = 0,
                 small_messages: int = 2, seed: int = 4) -> int | None:
    """A history file under data_dir; returns the id of the big conversation (opened at
    start), or None. Made with the app's own schema, written in one transaction."""
    sys.path.insert(0, str(ROOT))
    from opchat_gui.config.paths import AppPaths
    from opchat_gui.store import History

    paths = AppPaths.resolve(str(data_dir))
    paths.ensure()
    History.open(paths.database).close()  # create and migrate
    rng = random.Random(seed)
    conn = sqlite3.connect(paths.database, isolation_level=None)
    now = time.time() - 86_400
    conn.execute("BEGIN")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(conversations)")}
    big_id: int | None = None
    total = conversations + (1 if big_messages else 0)
    for number in range(total):
        big = big_messages and number == total - 1
        stamp = now + number
        if "uid" in columns:
            cur = conn.execute(
                "INSERT INTO conversations (title, created_at, updated_at, uid)"
                " VALUES (?, ?, ?, ?)", (f"Conversation {number}", stamp, stamp,
                                         f"bench-{number}"))
        else:
            cur = conn.execute(
                "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
                (f"Conversation {number}", stamp, stamp))
        cid = int(cur.lastrowid or 0)
        count = big_messages if big else small_messages
        rows = [(cid, "user" if i % 2 == 0 else "assistant", message_text(i, rng), "done",
                 stamp, stamp) for i in range(count)]
        if "active_leaf" in columns:  # schema 7: a chain, each message under the one before
            first = int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM messages")
                        .fetchone()[0])
            conn.executemany(
                "INSERT INTO messages (id, parent_id, conversation_id, role, content, state,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(first + i, first + i - 1 if i else None, *row) for i, row in enumerate(rows)])
            if rows:
                conn.execute("UPDATE conversations SET active_leaf = ? WHERE id = ?",
                             (first + len(rows) - 1, cid))
        else:
            conn.executemany(
                "INSERT INTO messages (conversation_id, role, content, state, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)", rows)
        if big:
            big_id = cid
    if big_id is not None:
        conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES"
                     " ('window/last_conversation', ?)", (str(big_id),))
    conn.execute("COMMIT")
    conn.close()
    return big_id


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def emit(result: dict[str, Any]) -> None:
    print(json.dumps(result, indent=2, sort_keys=False))


PYCACHE = Path(tempfile.gettempdir()) / "opchat-gui-bench-pycache"


def child_env() -> dict[str, str]:
    """Offscreen, with bytecode cached as an installed app has it (the first, warm-up
    run writes it; PYTHONDONTWRITEBYTECODE would make every start compile the source)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_child(args: list[str], timeout: float = 300) -> tuple[float, dict[str, Any]]:
    """Start `python -m benchmarks.child ARGS`; return (seconds from spawn to its
    "shown" line, the JSON it printed last)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.child", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(), cwd=str(ROOT))
    shown_at: float | None = None
    last: dict[str, Any] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.strip()
        if line == "shown" and shown_at is None:
            shown_at = time.perf_counter() - started
        elif line.startswith("{"):
            last = json.loads(line)
    proc.wait(timeout)
    if proc.returncode != 0 or shown_at is None:
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"child {args} failed ({proc.returncode}): {err[-2000:]}")
    return shown_at, last

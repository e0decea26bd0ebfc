"""B5: full-text search over 1,000,000 messages, and start-up with 10,000 conversations.

    python benchmarks/b5_search_list.py            # the full run (a few minutes)
    python benchmarks/b5_search_list.py --quick    # a tiny run that checks the plumbing

Prints one JSON object. Search: p50/p95/max milliseconds of History.search over a mix of
queries (rare, common, two-word, prefix, Cyrillic); target p95 <= 50 ms. Start-up: process
start to the window, with its conversation list, first painted with 10,000 conversations
(the app started through its entry point, as `opchat-gui` starts, both watched from
outside as B3 watches them), against a bare PySide6 window started in the same run;
target ratio <= 1.5 (B3's start-up budget).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import run_child  # noqa: E402
from opchat_gui.store import History  # noqa: E402

SEARCH_TARGET_MS = 50.0
START_TARGET_RATIO = 1.5
LATIN = "bcdfghjklmnprstvz"
VOWELS = "aeiou"
CYR = "бвгджзклмнпрстфх"
CYR_VOWELS = "аеиоуя"


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Pseudo-words, a third of them Cyrillic, so the index sees both scripts."""
    words: set[str] = set()
    while len(words) < size:
        cons, vows = (CYR, CYR_VOWELS) if len(words) % 3 == 0 else (LATIN, VOWELS)
        syllables = rng.randint(2, 4)
        words.add("".join(rng.choice(cons) + rng.choice(vows) for _ in range(syllables)))
    return sorted(words, key=lambda _w: rng.random())


def build_history(path: Path, messages: int, rng: random.Random) -> tuple[History, list[str]]:
    """A history with `messages` messages in conversations of 50, words Zipf-distributed."""
    vocab = vocabulary(rng, 30_000)
    cumulative: list[float] = []
    total = 0.0
    for rank in range(len(vocab)):
        total += 1.0 / (rank + 1)
        cumulative.append(total)
    history = History.open(path)
    conn = history._conn  # bulk load in one transaction; the triggers fill the index
    now = time.time()
    per_conversation = 50
    conn.execute("BEGIN")
    for first in range(0, messages, per_conversation):
        count = min(per_conversation, messages - first)
        cid = conn.execute(
            "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
            (" ".join(rng.choices(vocab[:2000], k=4)), now, now)).lastrowid
        rows = []
        for i in range(count):
            text = " ".join(rng.choices(vocab, cum_weights=cumulative, k=rng.randint(8, 40)))
            rows.append((cid, "user" if i % 2 == 0 else "assistant", text, now, now))
        conn.executemany(
            "INSERT INTO messages (conversation_id, role, content, state, created_at,"
            " updated_at) VALUES (?, ?, ?, 'done', ?, ?)", rows)
    conn.execute("COMMIT")
    return history, vocab


def queries(vocab: list[str], rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(kind, text) pairs: what people type, from the most common words to rare ones."""
    cyrillic = [w for w in vocab[:3000] if w[0] in CYR]
    kinds = {
        "common word": lambda: rng.choice(vocab[:20]),
        "mid word": lambda: rng.choice(vocab[200:2000]),
        "rare word": lambda: rng.choice(vocab[10_000:]),
        "two words": lambda: f"{rng.choice(vocab[:500])} {rng.choice(vocab[:3000])}",
        "prefix": lambda: rng.choice(vocab[:3000])[:3],
        "cyrillic": lambda: rng.choice(cyrillic).upper(),
    }
    names = list(kinds)
    return [(names[i % len(names)], kinds[names[i % len(names)]]()) for i in range(count)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_search(messages: int, count: int, workdir: Path) -> dict[str, object]:
    rng = random.Random(5)
    started = time.perf_counter()
    history, vocab = build_history(workdir / "search.sqlite3", messages, rng)
    build_seconds = time.perf_counter() - started
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    hits_seen = 0
    for kind, text in queries(vocab, rng, count):
        began = time.perf_counter()
        hits = history.search(text, limit=50)
        elapsed = (time.perf_counter() - began) * 1000
        hits_seen += len(hits)
        timings.append(elapsed)
        by_kind.setdefault(kind, []).append(elapsed)
    history.close()
    p95 = percentile(timings, 0.95)
    return {
        "messages": messages,
        "queries": count,
        "build_seconds": round(build_seconds, 2),
        "hits_returned": hits_seen,
        "p50_ms": round(percentile(timings, 0.5), 3),
        "p95_ms": round(p95, 3),
        "max_ms": round(max(timings), 3),
        "p95_ms_by_kind": {k: round(percentile(v, 0.95), 3) for k, v in by_kind.items()},
        "target_p95_ms": SEARCH_TARGET_MS,
        "meets_target": p95 <= SEARCH_TARGET_MS,
    }


# Start-up with 10,000 conversations, against a bare PySide6 window, in fresh processes

def fill_conversations(data_dir: Path, count: int) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    history = History.open(data_dir / "history.sqlite3")
    conn = history._conn
    now = time.time()
    conn.execute("BEGIN")
    for n in range(count):
        cid = conn.execute(
            "INSERT INTO conversations (title, created_at, updated_at, pinned)"
            " VALUES (?, ?, ?, ?)", (f"Conversation {n}: a question about item {n}",
                                     now - n, now - n, int(n % 500 == 0))).lastrowid
        conn.executemany(
            "INSERT INTO messages (conversation_id, role, content, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(cid, "user", f"a question about item {n}", now - n, now - n),
             (cid, "assistant", f"an answer about item {n}", now - n, now - n)])
    conn.execute("COMMIT")
    history.close()


def bench_start(conversations: int, repeats: int, workdir: Path) -> dict[str, object]:
    """Bare window, the app with no history, the app with `conversations`: medians."""
    full = workdir / "start-full"
    empty = workdir / "start-empty"
    fill_conversations(full, conversations)
    fill_conversations(empty, 0)
    bare: list[float] = []
    app_empty: list[float] = []
    app_full: list[float] = []
    rows = 0
    for _ in range(repeats):  # interleaved, so drift hits all three alike
        # Each started as B3 starts them (benchmarks/child.py): the app through its entry
        # point, both watched from outside at their window's first paint (the app's shows
        # its list); the rows counted once the window is complete.
        bare.append(run_child(["bare"])[0])
        app_empty.append(run_child(["app", str(empty)])[0])
        elapsed, shown = run_child(["app", str(full)])
        app_full.append(elapsed)
        rows = int(shown.get("list_rows", 0))
    median_bare = statistics.median(bare)
    median_full = statistics.median(app_full)
    median_empty = statistics.median(app_empty)
    ratio = median_full / median_bare
    return {
        "conversations": conversations,
        "rows_shown": rows,
        "repeats": repeats,
        "bare_window_ms": round(median_bare * 1000, 1),
        "app_empty_history_ms": round(median_empty * 1000, 1),
        "app_list_shown_ms": round(median_full * 1000, 1),
        "list_cost_ms": round((median_full - median_empty) * 1000, 1),
        "ratio": round(ratio, 3),
        "ratio_empty_history": round(median_empty / median_bare, 3),
        "target_ratio": START_TARGET_RATIO,
        "meets_target": ratio <= START_TARGET_RATIO,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the plumbing")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if args.quick:
        args.messages, args.queries, args.conversations, args.repeats = 2_000, 12, 200, 1
    with tempfile.TemporaryDirectory(prefix="b5-") as tmp:
        result = {
            "benchmark": "B5 search and conversation list",
            "quick": args.quick,
            "python": sys.version.split()[0],
            "search": bench_search(args.messages, args.queries, Path(tmp)),
            "start": bench_start(args.conversations, args.repeats, Path(tmp)),
        }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

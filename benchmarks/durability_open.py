"""Durability at start-up: what opening the history the safe way (header check,
`PRAGMA quick_check`, recovery of interrupted replies) costs over a bare open, on a
history of `--messages` messages of ~2 kB. Prints JSON; the bare open in the same run is
the baseline, so the ratio and the absolute time are both shown.

    python -m benchmarks.durability_open [--messages 20000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from opchat_gui.store import History
from opchat_gui.store.recovery import open_history

TEXT = "A paragraph of a long reply with some prose and `code` in it. " * 32


def build(path: Path, messages: int) -> None:
    history = History.open(path)
    per = 100
    for c in range(max(1, messages // per)):
        conversation = history.create_conversation(f"conversation {c}")
        with history._transaction():  # one commit per conversation, for speed
            for m in range(per):
                history.add_message(conversation.id, "user" if m % 2 == 0 else "assistant", TEXT)
    history.close()


def timed(open_once, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        history = open_once()
        samples.append(time.perf_counter() - start)
        history.close()
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        build(path, args.messages)
        bare = timed(lambda: History.open(path), args.runs)
        safe = timed(lambda: open_history(path, Path(folder) / "backups").history, args.runs)
        print(json.dumps({"benchmark": "durability_open", "messages": args.messages,
                          "file_mb": round(path.stat().st_size / 1e6, 1),
                          "bare_open_ms": round(bare * 1000, 2),
                          "safe_open_ms": round(safe * 1000, 2),
                          "ratio": round(safe / bare, 1)}))


if __name__ == "__main__":
    main()

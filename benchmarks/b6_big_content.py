"""B6 big content (issue 18): opening a conversation whose reply is one huge piece — a
300 x 30 Markdown table, a 1 MB code block, 10,000 lines of output, a 5,000-character
line — in the real window. For each: the worst event-loop stall while it opens (target
<= 50 ms), the time until it is in the transcript and painted (its first screenful, for a
reply written in pieces; target <= 200 ms), and the time until all of it is in
(`complete_ms`, reported).

    python -m benchmarks.b6_big_content [--quick]

`--quick` opens tenth-size pieces (the CI plumbing test); the targets are for the sizes
above. `b6_export` is the export benchmark that had the B6 name first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.b1_stream import LagProbe
from benchmarks.common import emit, make_history

STALL_TARGET_MS = 50.0
VISIBLE_TARGET_MS = 200.0


def pieces(scale: float) -> dict[str, str]:
    rows, cols = max(3, int(300 * scale)), 30
    table = ("| " + " | ".join(f"h{c}" for c in range(cols)) + " |\n|" + "---|" * cols
             + "\n" + "\n".join("| " + " | ".join(f"r{r}c{c}" for c in range(cols)) + " |"
                                for r in range(rows)))
    code_lines = max(10, int(15_000 * scale))  # ~73 characters a line: 1.1 MB at full size
    code = ("```python\n" + "\n".join(f"value_{i} = compute({i}) * 2  # line {i} " + "x" * 30
                                      for i in range(code_lines)) + "\n```")
    output = "```\n" + "\n".join(f"output line {i}" for i in range(int(10_000 * scale))) + \
        "\n```"
    line = ("word " * int(1000 * scale)).strip()  # 5,000 characters at full size
    return {"table_300x30": table, "code_block_1mb": code, "output_10k_lines": output,
            "line_5000_chars": line}


def fill(data: Path, contents: dict[str, str]) -> dict[str, int]:
    """One conversation per piece, its reply holding the piece; returns name -> id."""
    make_history(data, conversations=len(contents), small_messages=2)
    conn = sqlite3.connect(data / "history.sqlite3")
    ids = [row[0] for row in conn.execute("SELECT id FROM conversations ORDER BY id")]
    found: dict[str, int] = {}
    for cid, (name, text) in zip(ids, contents.items(), strict=True):
        conn.execute("UPDATE messages SET content = ? WHERE id = (SELECT MAX(id) FROM"
                     " messages WHERE conversation_id = ?)", (text, cid))
        found[name] = cid
    conn.commit()
    conn.close()
    return found


async def measure(data: Path, ids: dict[str, int]) -> dict[str, dict[str, float]]:
    from opchat_gui.app.main import parse_args, start

    session = await start(parse_args(["--data-dir", str(data), "--url",
                                      "http://127.0.0.1:9"]))
    window = session.window
    transcript = window.transcript
    await asyncio.sleep(1.5)  # start-up and its warm-ups settle
    results: dict[str, dict[str, float]] = {}
    for name, cid in ids.items():
        window.open_conversation(None)
        await asyncio.sleep(0.3)
        last_id = session.service.messages(cid)[-1].id
        probe = LagProbe()
        probe.start()
        began = time.perf_counter()
        window.open_conversation(cid)
        visible = complete = -1.0
        while time.perf_counter() - began < 30:
            if visible < 0 and last_id in transcript.order:
                transcript.viewport().repaint()
                visible = (time.perf_counter() - began) * 1000
            if visible >= 0 and transcript.settled:  # big replies' pieces all in
                complete = (time.perf_counter() - began) * 1000
                break
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.5)  # whatever it still does after showing counts as a stall
        probe.stop()
        results[name] = {"stall_max_ms": round(max(probe.lags, default=0.0), 1),
                         "visible_ms": round(visible, 1),
                         "complete_ms": round(complete, 1),
                         "chars": len(session.service.messages(cid)[-1].content)}
    window.close()
    await session.close()
    return results


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tenth-size pieces")
    args = parser.parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from opchat_gui.app.event_loop import AppEventLoop

    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = AppEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp, loop:
        data = Path(tmp) / "data"
        ids = fill(data, pieces(0.1 if args.quick else 1.0))
        got = loop.run_until_complete(measure(data, ids))
    result: dict[str, object] = {
        "benchmark": "B6 big content",
        "scale": 0.1 if args.quick else 1.0,
        "pieces": got,
        "worst_stall_ms": max(v["stall_max_ms"] for v in got.values()),
        "slowest_visible_ms": max(v["visible_ms"] for v in got.values()),
        "targets": {"stall_max_ms": STALL_TARGET_MS, "visible_ms": VISIBLE_TARGET_MS},
    }
    result["met"] = {name: v["stall_max_ms"] <= STALL_TARGET_MS
                     and 0 <= v["visible_ms"] <= VISIBLE_TARGET_MS for name, v in got.items()}
    emit(result)
    return result


if __name__ == "__main__":
    main()

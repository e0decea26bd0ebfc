"""B2 open: open a 1,000- and a 10,000-message conversation (mixed prose and code) in the
real window, offscreen. First paint of the newest messages (target <= 100 ms), the
10k/1k ratio (target <= 1.3), the time until opening has settled (the page above the
first screen rendered; older pages load when scrolled to), and what Ctrl+Home then costs:
the time until every older message is in and the first one on screen (they come a page
per step, the view held at the top), and the event loop's longest stall meanwhile; and
a find (Ctrl+F) of a word only in the first message, typed in a conversation just opened
(not scrolled through): the time until the find bar shows the match and the longest stall.

    python -m benchmarks.b2_open [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.b1_stream import LagProbe
from benchmarks.common import emit, make_history, median

FIRST_WORD = "zebrafirstword"  # only in the first message: find has to reach it


def mark_first_message(data_dir: Path, conversation_id: int) -> None:
    """The word find looks for, at the end of the conversation's first message."""
    from opchat_gui.config.paths import AppPaths

    conn = sqlite3.connect(AppPaths.resolve(str(data_dir)).database, isolation_level=None)
    conn.execute("UPDATE messages SET content = content || ? WHERE id = (SELECT MIN(id)"
                 " FROM messages WHERE conversation_id = ?)", (f" {FIRST_WORD}",
                                                               conversation_id))
    conn.close()


async def settle(window: Any, conversation_id: int) -> float:
    """Open the conversation afresh; the time until opening settled."""
    window.open_conversation(None)
    await asyncio.sleep(0.05)  # let the loop settle (and paint) between runs
    started = time.perf_counter()
    window.open_conversation(conversation_id)
    window.transcript.viewport().repaint()
    return started


async def measure(data_dir: Path, conversation_id: int, runs: int) -> dict[str, float]:
    from opchat_gui.app.main import parse_args, start

    session = await start(parse_args(["--data-dir", str(data_dir)]))
    window = session.window
    first, settled, home, stalls, found, find_stalls = [], [], [], [], [], []
    try:
        for _ in range(runs):
            # Find in a conversation just opened: the word is in its first message only.
            await settle(window, conversation_id)
            while not window.transcript.settled:
                await asyncio.sleep(0)
            probe = LagProbe()
            probe.start()
            started = time.perf_counter()
            window.panels.open_find()
            window.find_bar.field.setText(FIRST_WORD)  # as typed (the last key of it)
            typed = time.perf_counter() - started  # a stall the probe cannot see yet
            while window.find_bar.count.text() != "1 of 1":
                await asyncio.sleep(0)
            window.transcript.viewport().repaint()
            found.append(time.perf_counter() - started)
            probe.stop()
            find_stalls.append(max([*probe.lags, typed * 1000]))
            window.find_bar.close_bar()
            started = await settle(window, conversation_id)  # the first paint, synchronously
            first.append(time.perf_counter() - started)
            while not window.transcript.settled:
                await asyncio.sleep(0)
            window.transcript.viewport().repaint()
            settled.append(time.perf_counter() - started)
            shown = len(window.transcript.order)
            probe = LagProbe()
            probe.start()
            started = time.perf_counter()
            window.scroll_transcript(-1)  # Ctrl+Home: every older message, the first shown
            while not window.transcript.fully_loaded:
                await asyncio.sleep(0)
            window.transcript.viewport().repaint()
            home.append(time.perf_counter() - started)
            probe.stop()
            stalls.append(max(probe.lags, default=0.0))
            assert window.transcript.verticalScrollBar().value() == 0
            everything = len(window.transcript.order)
    finally:
        window.close()
        await session.close()
    return {"first_paint_ms": median(first) * 1000, "settled_ms": median(settled) * 1000,
            "home_ms": median(home) * 1000, "home_stall_ms": max(stalls),
            "find_ms": median(found) * 1000, "find_stall_ms": max(find_stalls),
            "messages_rendered": shown,
            "messages_after_home": everything}


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    small, large = (100, 400) if args.quick else (1_000, 10_000)
    runs = 1 if args.quick else args.runs

    from PySide6.QtWidgets import QApplication

    from opchat_gui.app.event_loop import AppEventLoop

    app = QApplication.instance() or QApplication([])
    loop = AppEventLoop(app)
    asyncio.set_event_loop(loop)
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in (small, large):
            data = Path(tmp) / f"data{size}"
            conversation = make_history(data, conversations=1, big_messages=size)
            assert conversation is not None
            mark_first_message(data, conversation)
            results[size] = loop.run_until_complete(measure(data, conversation, runs))
    loop.close()
    asyncio.set_event_loop(None)
    ratio = results[large]["first_paint_ms"] / max(results[small]["first_paint_ms"], 1e-6)
    result = {
        "benchmark": "B2 open",
        "runs": runs,
        f"first_paint_ms_{small}": round(results[small]["first_paint_ms"], 1),
        f"first_paint_ms_{large}": round(results[large]["first_paint_ms"], 1),
        "first_paint_ratio": round(ratio, 3),
        f"settled_ms_{small}": round(results[small]["settled_ms"], 1),
        f"settled_ms_{large}": round(results[large]["settled_ms"], 1),
        f"messages_rendered_{large}": results[large]["messages_rendered"],
        f"messages_after_home_{large}": results[large]["messages_after_home"],
        f"ctrl_home_ms_{small}": round(results[small]["home_ms"], 1),
        f"ctrl_home_ms_{large}": round(results[large]["home_ms"], 1),
        f"ctrl_home_stall_max_ms_{small}": round(results[small]["home_stall_ms"], 1),
        f"ctrl_home_stall_max_ms_{large}": round(results[large]["home_stall_ms"], 1),
        f"find_first_message_ms_{small}": round(results[small]["find_ms"], 1),
        f"find_first_message_ms_{large}": round(results[large]["find_ms"], 1),
        f"find_stall_max_ms_{small}": round(results[small]["find_stall_ms"], 1),
        f"find_stall_max_ms_{large}": round(results[large]["find_stall_ms"], 1),
        "target_first_paint_ms": 100,
        "target_ratio": 1.3,
    }
    result["met"] = (result[f"first_paint_ms_{large}"] <= 100 and ratio <= 1.3)
    emit(result)
    return result


if __name__ == "__main__":
    main()

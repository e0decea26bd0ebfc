"""B2 open: open a 1,000- and a 10,000-message conversation (mixed prose and code) in the
real window, offscreen. First paint of the newest messages (target <= 100 ms), the
10k/1k ratio (target <= 1.3), and the time until the whole conversation is scrollable.

    python -m benchmarks.b2_open [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.common import emit, make_history, median


async def measure(data_dir: Path, conversation_id: int, runs: int) -> dict[str, float]:
    from opchat_gui.app.main import parse_args, start

    session = await start(parse_args(["--data-dir", str(data_dir)]))
    window = session.window
    first, full = [], []
    try:
        for _ in range(runs):
            window.open_conversation(None)
            await asyncio.sleep(0.05)  # let the loop settle (and paint) between runs
            started = time.perf_counter()
            window.open_conversation(conversation_id)
            window.transcript.viewport().repaint()  # the first paint, synchronously
            first.append(time.perf_counter() - started)
            while not window.transcript.fully_loaded:
                await asyncio.sleep(0)
            window.transcript.document().documentLayout().documentSize()
            bar = window.transcript.verticalScrollBar()
            bar.setValue(0)  # scrolled to the very top: everything is reachable
            window.transcript.viewport().repaint()
            full.append(time.perf_counter() - started)
        shown = len(window.transcript.order)
    finally:
        window.close()
        await session.close()
    return {"first_paint_ms": median(first) * 1000, "scrollable_ms": median(full) * 1000,
            "messages_rendered": shown}


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    small, large = (100, 400) if args.quick else (1_000, 10_000)
    runs = 1 if args.quick else args.runs

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in (small, large):
            data = Path(tmp) / f"data{size}"
            conversation = make_history(data, conversations=1, big_messages=size)
            assert conversation is not None
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
        f"scrollable_ms_{small}": round(results[small]["scrollable_ms"], 1),
        f"scrollable_ms_{large}": round(results[large]["scrollable_ms"], 1),
        f"messages_rendered_{large}": results[large]["messages_rendered"],
        "target_first_paint_ms": 100,
        "target_ratio": 1.3,
    }
    result["met"] = (result[f"first_paint_ms_{large}"] <= 100 and ratio <= 1.3)
    emit(result)
    return result


if __name__ == "__main__":
    main()

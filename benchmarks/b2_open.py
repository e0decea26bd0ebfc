"""B2 open: open a 1,000- and a 10,000-message conversation (mixed prose and code) in the
real window, offscreen. First paint of the newest messages (target <= 100 ms), the
10k/1k ratio (target <= 1.3), the time until opening has settled (the page above the
first screen rendered; older pages load when scrolled to), and what Ctrl+Home then costs:
the time until every older message is in and the first one on screen (they come a page
per step, the view held at the top), and the event loop's longest stall meanwhile.

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

from benchmarks.b1_stream import LagProbe
from benchmarks.common import emit, make_history, median


async def measure(data_dir: Path, conversation_id: int, runs: int) -> dict[str, float]:
    from opchat_gui.app.main import parse_args, start

    session = await start(parse_args(["--data-dir", str(data_dir)]))
    window = session.window
    first, settled, home, stalls = [], [], [], []
    try:
        for _ in range(runs):
            window.open_conversation(None)
            await asyncio.sleep(0.05)  # let the loop settle (and paint) between runs
            started = time.perf_counter()
            window.open_conversation(conversation_id)
            window.transcript.viewport().repaint()  # the first paint, synchronously
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
            "messages_rendered": shown,
            "messages_after_home": everything}


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
        f"settled_ms_{small}": round(results[small]["settled_ms"], 1),
        f"settled_ms_{large}": round(results[large]["settled_ms"], 1),
        f"messages_rendered_{large}": results[large]["messages_rendered"],
        f"messages_after_home_{large}": results[large]["messages_after_home"],
        f"ctrl_home_ms_{small}": round(results[small]["home_ms"], 1),
        f"ctrl_home_ms_{large}": round(results[large]["home_ms"], 1),
        f"ctrl_home_stall_max_ms_{small}": round(results[small]["home_stall_ms"], 1),
        f"ctrl_home_stall_max_ms_{large}": round(results[large]["home_stall_ms"], 1),
        "target_first_paint_ms": 100,
        "target_ratio": 1.3,
    }
    result["met"] = (result[f"first_paint_ms_{large}"] <= 100 and ratio <= 1.3)
    emit(result)
    return result


if __name__ == "__main__":
    main()

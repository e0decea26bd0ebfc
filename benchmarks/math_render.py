"""Math: what a formula costs in the transcript, and opening a reply full of them.

In the real window, offscreen, on a conversation whose last reply holds N formulas
(N = 500; inline and display, all different):
- first_paint_fresh_ms: opening it with none of them typeset yet (a new session, the
  window warmed by one open of the same reply with words), to the first paint (the B2
  target, 100 ms). New formulas past a per-turn budget go in
  as placeholders of their source and are typeset in the background, on-screen first;
- all_drawn_ms: until every formula is typeset and patched in;
- first_paint_cached_ms: opening it again (every formula typeset before);
- cached_ms_per_formula: (reopen time - the same reply with a word for each formula) / N,
  the cost of a formula after its first time (target 2 ms);
- fresh_ms_per_formula: the typesetting time of a new formula (ziamath, pure Python).
The typesetter is imported (a third of a second, once per process) before timing.

    python -m benchmarks.math_render [--quick] [--formulas N] [--runs R]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.common import emit, make_history, median

SHAPES = [
    "$x_{{{n}}}^2 + y_{{{n}}}^2 = r_{{{n}}}^2$",
    "\\(\\frac{{{n}}}{{{n} + 1}}\\)",
    "$$\n\\sum_{{k=1}}^{{{n}}} k^2 = \\frac{{{n}({n}+1)(2\\cdot{n}+1)}}{{6}}\n$$",
    "\\[\n\\int_0^{{{n}}} e^{{-t}}\\,dt\n\\]",
]


def math_reply(count: int, offset: int = 0) -> str:
    """`count` different formulas, in sentences; `offset` makes a fresh set."""
    parts = []
    for n in range(offset, offset + count):
        formula = SHAPES[n % len(SHAPES)].format(n=n)
        parts.append(f"Step {n}: {formula}" if formula.startswith(("$x", "\\(")) else formula)
    return "\n\n".join(parts)


def plain_reply(count: int) -> str:
    """The same reply with each formula a word: the baseline, taken in the same run."""
    parts = []
    for n in range(count):
        formula = SHAPES[n % len(SHAPES)].format(n=n)
        parts.append(f"Step {n}: formula" if formula.startswith(("$x", "\\(")) else "formula")
    return "\n\n".join(parts)


def set_last_reply(data_dir: Path, conversation: int, text: str) -> None:
    from opchat_gui.config.paths import AppPaths

    conn = sqlite3.connect(AppPaths.resolve(str(data_dir)).database, isolation_level=None)
    conn.execute("UPDATE messages SET content = ? WHERE id = (SELECT max(id) FROM messages"
                 " WHERE conversation_id = ? AND role = 'assistant')", (text, conversation))
    conn.close()


async def measure(data_dir: Path, conversation: int, count: int, runs: int
                  ) -> dict[str, float]:
    from opchat_gui.app.main import parse_args, start
    from opchat_gui.render.math import typeset

    typeset("x", False)  # the import, once per process: not what is measured
    session = await start(parse_args(["--data-dir", str(data_dir)]))
    window = session.window
    transcript = window.transcript

    async def open_once() -> float:
        window.open_conversation(None)
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        window.open_conversation(conversation)
        transcript.viewport().repaint()
        return time.perf_counter() - started

    async def settle() -> None:
        while not transcript.settled or transcript.math.busy:
            await asyncio.sleep(0)

    results: dict[str, list[float]] = {"fresh": [], "drawn": [], "cached": [], "plain": [],
                                       "typeset": []}
    try:
        transcript.math.typeset.size = max(transcript.math.typeset.size, 2 * count)
        # The window's first open pays for fonts, styles and paths laid out once per
        # process, math or not: open the reply with words first, so `fresh` is the cost of
        # formulas nobody typeset yet, as when a second conversation opens.
        set_last_reply(data_dir, conversation, plain_reply(count))
        await open_once()
        await settle()
        set_last_reply(data_dir, conversation, math_reply(count))
        started = time.perf_counter()  # fresh once: typesetting them all takes a while
        results["fresh"].append(await open_once())
        await settle()
        results["drawn"].append(time.perf_counter() - started)
        for _ in range(runs):  # then alternately: cached formulas, words instead
            set_last_reply(data_dir, conversation, math_reply(count))
            results["cached"].append(await open_once())
            await settle()
            set_last_reply(data_dir, conversation, plain_reply(count))
            results["plain"].append(await open_once())
            await settle()
        for n in range(min(count, 40)):  # typesetting alone, new formulas
            started = time.perf_counter()
            typeset(SHAPES[n % len(SHAPES)].format(n=10_000 + n).strip("$\\()[]\n"), False)
            results["typeset"].append(time.perf_counter() - started)
    finally:
        window.close()
        await session.close()
    return {name: median(values) * 1000 for name, values in results.items()}


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 formulas, one run")
    parser.add_argument("--formulas", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5, help="cached/plain pairs")
    args = parser.parse_args(argv)
    count = 20 if args.quick else args.formulas
    runs = 1 if args.quick else args.runs

    from PySide6.QtWidgets import QApplication

    from opchat_gui.app.event_loop import AppEventLoop

    app = QApplication.instance() or QApplication([])
    loop = AppEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        conversation = make_history(data, conversations=1, big_messages=40)
        assert conversation is not None
        ms = loop.run_until_complete(measure(data, conversation, count, runs))
    loop.close()
    asyncio.set_event_loop(None)
    per_formula = max(0.0, ms["cached"] - ms["plain"]) / count
    result: dict[str, object] = {
        "benchmark": "MATH render",
        "formulas": count,
        "runs": runs,
        "first_paint_fresh_ms": round(ms["fresh"], 1),
        "all_drawn_ms": round(ms["drawn"], 1),
        "first_paint_cached_ms": round(ms["cached"], 1),
        "first_paint_no_math_ms": round(ms["plain"], 1),
        "cached_ms_per_formula": round(per_formula, 3),
        "fresh_ms_per_formula": round(ms["typeset"], 2),
        "target_first_paint_ms": 100,
        "target_cached_ms_per_formula": 2,
    }
    result["first_paint_fresh_over_no_math_ms"] = round(ms["fresh"] - ms["plain"], 1)
    result["first_paint_cached_over_no_math_ms"] = round(ms["cached"] - ms["plain"], 1)
    result["met"] = (per_formula <= 2 and ms["fresh"] <= 100 and ms["cached"] <= 100)
    emit(result)
    return result


if __name__ == "__main__":
    main()

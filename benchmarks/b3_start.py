"""B3 start: process start to the window's first paint, with 1,000 conversations in
history, against a bare PySide6 window started and watched the same way in the same run
(target <= 1.5x). Both are watched from outside (benchmarks/child.py): the app is started
through its entry point, as `opchat-gui` is, and "shown" is the first Paint event of the
window named mainWindow.

    python -m benchmarks.b3_start [--quick]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import emit, make_history, median, run_child


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    conversations = 20 if args.quick else 1000
    runs = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        make_history(data, conversations=conversations, small_messages=4)
        run_child(["bare"])  # warm the file cache for both
        run_child(["app", str(data)])
        bare, app = [], []
        for _ in range(runs):  # interleaved, so drift in machine load hits both
            bare.append(run_child(["bare"])[0])
            app.append(run_child(["app", str(data)])[0])
    result = {
        "benchmark": "B3 start",
        "conversations": conversations,
        "runs": runs,
        "bare_window_ms": round(median(bare) * 1000, 1),
        "app_window_ms": round(median(app) * 1000, 1),
        "ratio": round(median(app) / median(bare), 3),
        "target_ratio": 1.5,
    }
    result["met"] = result["ratio"] <= 1.5
    emit(result)
    return result


if __name__ == "__main__":
    main()

"""B4 memory: peak RSS with 10,000 conversations in history, one open with 1,000
messages (all rendered), against a bare PySide6 window's peak RSS (target <= +60 MB, issue 18).

    python -m benchmarks.b4_memory [--quick]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import emit, make_history, run_child


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes")
    args = parser.parse_args(argv)
    conversations, messages = (50, 60) if args.quick else (10_000, 1_000)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        make_history(data, conversations=conversations, big_messages=messages)
        _, bare = run_child(["bare"])
        _, app = run_child(["app", str(data), "--loaded"], timeout=600)
    extra = app["peak_rss_mb"] - bare["peak_rss_mb"]
    result = {
        "benchmark": "B4 memory",
        "conversations": conversations + 1,
        "open_messages": messages,
        "messages_rendered": app.get("messages_shown"),
        "bare_window_peak_rss_mb": round(bare["peak_rss_mb"], 1),
        "app_peak_rss_mb": round(app["peak_rss_mb"], 1),
        "extra_mb": round(extra, 1),
        "target_extra_mb": 60,
        "met": extra <= 60,
    }
    emit(result)
    return result


if __name__ == "__main__":
    main()

"""The B5 benchmark runs end to end in --quick mode and prints the documented JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_b5_quick_prints_its_fields():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "b5_search_list.py"),
                           "--quick"], capture_output=True, text=True, timeout=240, env=env,
                          check=True)
    result = json.loads(done.stdout)
    assert result["quick"] is True
    search = result["search"]
    assert search["messages"] == 2000 and search["queries"] > 0 and search["hits_returned"] > 0
    for field in ("p50_ms", "p95_ms", "max_ms", "build_seconds", "target_p95_ms"):
        assert isinstance(search[field], float | int)
    assert set(search["p95_ms_by_kind"]) == {"common word", "mid word", "rare word",
                                             "two words", "prefix", "cyrillic"}
    assert isinstance(search["meets_target"], bool)
    start = result["start"]
    assert start["rows_shown"] == start["conversations"] == 200  # the list really showed
    for field in ("bare_window_ms", "app_empty_history_ms", "app_list_shown_ms",
                  "list_cost_ms", "ratio", "ratio_empty_history", "target_ratio"):
        assert isinstance(start[field], float | int)
    assert isinstance(start["meets_target"], bool)

"""The benchmark summary names a crashed benchmark instead of passing over it."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.summary import describe, main


def test_figures_show_beside_their_targets_and_met(tmp_path: Path) -> None:
    (tmp_path / "b3_start.json").write_text(json.dumps({
        "benchmark": "B3 start", "ratio": 1.4, "app_ms": 140, "target_ratio": 1.5,
        "met": True}))
    lines = describe(tmp_path / "b3_start.json")
    assert "    ratio = 1.4" in lines
    assert "    target ratio = 1.5" in lines
    assert lines[-1] == "    met = true"


def test_a_crashed_benchmark_is_named_with_its_log(tmp_path: Path) -> None:
    (tmp_path / "b4_memory.json").write_text("")
    (tmp_path / "b4_memory.log").write_text("Traceback\nMemoryError: out of memory\n")
    lines = describe(tmp_path / "b4_memory.json")
    assert lines[0].startswith("## b4_memory: no result")
    assert "    MemoryError: out of memory" in lines


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 1

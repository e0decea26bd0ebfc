"""Each benchmark runs in its tiny --quick mode and prints JSON with its fields, so the
benchmarks cannot rot. No timing is asserted here (machines are noisy; see README)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FIELDS = {
    "b1_stream": {"lag_p50_ms", "lag_p99_ms", "lag_max_ms", "cpu_ratio", "cpu_gui_s",
                  "cpu_headless_s", "cpu_qt_floor_s", "cpu_floor_ratio", "update_first10_ms",
                  "update_last10_ms",
                  "update_growth_ratio", "transcript_updates", "rendered_markdown", "met",
                  "replay_growth_ratio", "replay_update_first10_ms",
                  "open_block_formatted_cost_ratio", "open_block_updates_showing_raw_markdown",
                  "qt_floor_frames_painted", "gui_viewport_paints", "replay_paints",
                  "cpu_qt_floor_unpaced_s", "cpu_floor_unpaced_ratio",
                  "transcript_viewport"},
    "b2_open": {"first_paint_ms_100", "first_paint_ms_400", "first_paint_ratio",
                "settled_ms_100", "settled_ms_400", "messages_rendered_400",
                "messages_after_home_400", "ctrl_home_ms_100", "ctrl_home_ms_400",
                "ctrl_home_stall_max_ms_400", "met"},
    "b3_start": {"bare_window_ms", "app_window_ms", "ratio", "met"},
    "b4_memory": {"bare_window_peak_rss_mb", "app_peak_rss_mb", "extra_mb",
                  "messages_rendered", "app_peak_rss_after_home_mb", "extra_after_home_mb",
                  "messages_rendered_after_home", "met"},
    "b6_export": {"lag_p50_ms", "lag_p99_ms", "lag_max_ms", "idle_lag_max_ms",
                  "blocking_lag_max_ms", "export_seconds", "files_written", "outcome",
                  "targets", "met"},
    "math_render": {"formulas", "first_paint_fresh_ms", "all_drawn_ms",
                    "first_paint_cached_ms", "first_paint_no_math_ms",
                    "cached_ms_per_formula", "fresh_ms_per_formula", "met"},
    "b7_branches": {"messages_small", "messages_large", "reply_switch_ms_small",
                    "reply_switch_ms_large", "edit_switch_ms_small", "edit_switch_ms_large",
                    "large_over_small", "switch_cpu_ms_small", "switch_cpu_ms_large",
                    "target_ms", "met"},
    "b6_big_content": {"pieces", "worst_stall_ms", "slowest_visible_ms", "targets", "met"},
    "b8_concurrency": {"streams", "lag_p50_ms", "lag_p99_ms", "lag_max_ms", "idle_lag_p99_ms",
                       "replies_intact", "shown_reply_on_screen", "targets", "met"},
    "b10_soak": {"minutes", "replies", "messages_saved", "rss_mb", "rss_slope_mb_per_10_min",
                 "targets", "met"},
    "b9_latency": {"latency_p50_ms", "latency_p95_ms", "first_send_ms",
                   "first_send_stall_max_ms", "later_send_stall_max_ms", "phases_p50_ms",
                   "first_send_phases_ms", "requests_per_reply_max", "targets", "met"},
    "b11_quit": {"bare_window_quit_ms", "idle_quit_ms", "streaming_quit_ms",
                 "streamed_replies", "drafts_saved", "targets", "met"},
}


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_benchmark_quick_mode_prints_its_json(name, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--quick"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert FIELDS[name] <= set(result), sorted(FIELDS[name] - set(result))
    assert result["benchmark"].startswith(name[:2].upper())
    if name == "b1_stream":
        assert result["rendered_markdown"] is True and result["transcript_updates"] > 0
        assert result["open_block_updates_showing_raw_markdown"] == 0  # formatted as it goes
        assert result["open_block_plain_updates_showing_raw_markdown"] > 0  # (it can tell)
        # The floor and the replay really paint: a window not yet exposed paints nothing.
        assert result["qt_floor_frames_painted"] == result["transcript_updates"]
        assert result["replay_paints"] >= result["replay_updates"]
        assert result["gui_viewport_paints"] > 0
    if name == "b2_open":
        # Opening renders the newest pages only; Ctrl+Home brings every message in.
        assert result["messages_rendered_400"] < 400
        assert result["messages_after_home_400"] == 400
    if name == "math_render":
        assert result["formulas"] == 20 and result["all_drawn_ms"] > 0
    if name == "b4_memory":
        assert result["messages_rendered"] == 60  # (two pages: all of them)
        assert result["messages_rendered_after_home"] == 60
    if name == "b6_big_content":  # each piece opened and was shown
        assert set(result["pieces"]) == {"table_300x30", "code_block_1mb", "output_10k_lines",
                                         "line_5000_chars"}
        assert all(piece["visible_ms"] > 0 for piece in result["pieces"].values())
        assert all(piece["complete_ms"] >= piece["visible_ms"]  # and all of it came in
                   for piece in result["pieces"].values())
    if name == "b8_concurrency":  # all 20 streams ran to the end and were saved intact
        assert result["streams"] == 20 and result["replies_intact"] == 20
        assert result["shown_reply_on_screen"] is True
    if name == "b10_soak":  # replies were sent by keys and saved, memory was sampled
        assert result["replies"] >= 1 and result["messages_saved"] == 2 * result["replies"]
        assert len(result["rss_mb"]) >= 3
    if name == "b9_latency":  # every send was painted, the first one included
        assert len(result["first_send_ms"]) == 1 and result["latency_p50_ms"] > 0
        assert set(result["phases_p50_ms"]) == {  # where the time goes, on one clock
            "enter_to_key_handled", "key_handled_to_request_arrived",
            "first_byte_to_chunk_signal", "chunk_signal_to_painted"}
        assert result["requests_per_reply_max"] == 1  # the demo site asks for no nonce
    if name == "b11_quit":  # the fast exit still saves: the draft, and the cut reply
        assert result["drafts_saved"] is True
        assert result["streamed_replies"][0]["state"] == "stopped"
        assert result["streamed_replies"][0]["chars"] > 0
    if name == "b6_export":  # every conversation exported through the window's command
        assert result["outcome"] == "success" and result["met"]["every_file_written"]


def test_b1_thinking_mode_streams_thinking_then_folds_it(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "benchmarks.b1_stream", "--quick",
                           "--think", "400"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["thinking_tokens"] == 400 and result["thinking_updates"] > 0
    assert result["thinking_chars"] > 0 and result["rendered_markdown"] is True  # folded
    assert {"thinking_growth_ratio", "fold_update_ms", "replay_thinking_growth_ratio",
            "thinking_median_growth_ratio"} <= result.keys()

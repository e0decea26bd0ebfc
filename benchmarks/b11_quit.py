"""Quit: Ctrl+Q to the process gone, in a real child process, with nothing streaming
(target <= 300 ms) and while a reply streams (target <= 1 s, the reply saved as
stopped); a bare PySide6 window quitting on the same key in the same run is the floor.

    python -m benchmarks.b11_quit [--quick]

The child prints `quit <monotonic>` just before it presses Ctrl+Q; the parent takes the
monotonic clock (system-wide on Linux) when the child has exited.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, child_env, emit, make_history, median

DRAFT = "an unsent draft kept across a fast quit"
IDLE_TARGET_MS = 300.0
STREAMING_TARGET_MS = 1000.0


def _press_quit(window: object) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    print(f"quit {time.monotonic()}", flush=True)
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # type: ignore[arg-type]


def _watchdog(seconds: float = 60.0) -> None:
    """A child that never quits fails the run instead of hanging it."""
    import os
    import threading

    def fire() -> None:
        print("watchdog: the child did not exit", file=sys.stderr, flush=True)
        os._exit(3)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()


def child_bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTextBrowser())
    window.resize(1100, 720)
    QShortcut(QKeySequence("Ctrl+Q"), window, app.quit)
    window.show()
    _watchdog()
    QTimer.singleShot(500, lambda: _press_quit(window))
    return app.exec()


def child_app(data_dir: str, streaming: bool) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from opchat_gui.app import launch
    from opchat_gui.app import main as app_module

    original = app_module.start

    async def start(args: object, *frame: object) -> object:
        session = await original(args, *frame)  # type: ignore[arg-type]
        window = session.window

        def send() -> None:
            session.service.chunk.connect(on_chunk)
            window.composer.setFocus()
            QTest.keyClicks(window.composer, "Tell me a long story")
            QTest.keyClick(window.composer, Qt.Key.Key_Return)

        chunks = [0]

        def on_chunk(*_: object) -> None:
            chunks[0] += 1
            if chunks[0] == 5:
                QTimer.singleShot(0, lambda: _press_quit(window))

        if streaming:
            QTimer.singleShot(1500, send)
        else:
            def type_then_quit() -> None:
                window.composer.setFocus()
                QTest.keyClicks(window.composer, DRAFT)
                _press_quit(window)

            QTimer.singleShot(1500, type_then_quit)
        return session

    app_module.start = start  # type: ignore[assignment]
    _watchdog()
    argv = ["--data-dir", data_dir]
    if streaming:
        argv.append("--demo")
    return launch.main(argv)


def quit_ms(args: list[str], timeout: float = 120) -> float:
    """Start the child; milliseconds from its Ctrl+Q to its exit."""
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.b11_quit", "--child", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(), cwd=str(ROOT))
    pressed: float | None = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("quit "):
            pressed = float(line.split()[1])
    proc.wait(timeout)
    gone = time.monotonic()
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0 or pressed is None:
        raise RuntimeError(f"child {args} failed ({proc.returncode}): {err[-2000:]}")
    return (gone - pressed) * 1000


def last_reply(data_dir: Path) -> tuple[str, int]:
    conn = sqlite3.connect(data_dir / "history.sqlite3")
    try:
        row = conn.execute("SELECT state, length(content) FROM messages WHERE role ="
                           " 'assistant' ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    return (str(row[0]), int(row[1])) if row else ("", 0)


def draft_saved(data_dir: Path) -> bool:
    conn = sqlite3.connect(data_dir / "history.sqlite3")
    try:
        row = conn.execute("SELECT (SELECT count(*) FROM conversations WHERE draft = ?)"
                           " + (SELECT count(*) FROM kv WHERE value LIKE ?)",
                           (DRAFT, f"%{DRAFT}%")).fetchone()
    finally:
        conn.close()
    return bool(row[0])


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run each")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode = args.child[0]
        if mode == "bare":
            raise SystemExit(child_bare())
        raise SystemExit(child_app(args.child[1], streaming=mode == "streaming"))
    runs = 1 if args.quick else args.runs
    bare, idle, streaming, states, drafts = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        make_history(data, conversations=20 if args.quick else 1000, small_messages=4)
        for number in range(runs):  # interleaved, so drift in machine load hits all three
            bare.append(quit_ms(["bare"]))
            idle.append(quit_ms(["idle", str(data)]))
            drafts.append(draft_saved(data))
            live = Path(tmp) / f"live{number}"
            streaming.append(quit_ms(["streaming", str(live)]))
            states.append(last_reply(live))
    stopped = all(state == "stopped" and length > 0 for state, length in states)
    result: dict[str, object] = {
        "benchmark": "B11 quit",
        "runs": runs,
        "bare_window_quit_ms": round(median(bare), 1),
        "idle_quit_ms": round(median(idle), 1),
        "idle_quit_max_ms": round(max(idle), 1),
        "streaming_quit_ms": round(median(streaming), 1),
        "streaming_quit_max_ms": round(max(streaming), 1),
        "streamed_replies": [{"state": s, "chars": n} for s, n in states],
        "drafts_saved": all(drafts),
        "targets": {"idle_quit_ms": IDLE_TARGET_MS, "streaming_quit_ms": STREAMING_TARGET_MS,
                    "replies_saved_as_stopped": True, "drafts_saved": True},
    }
    result["met"] = {"idle_quit_ms": median(idle) <= IDLE_TARGET_MS,
                     "streaming_quit_ms": median(streaming) <= STREAMING_TARGET_MS,
                     "replies_saved_as_stopped": stopped, "drafts_saved": all(drafts)}
    emit(result)
    return result


if __name__ == "__main__":
    main()

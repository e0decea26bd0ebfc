"""B10 soak: the window streams for 30 minutes, reply after reply, with the keys a user
would: Ctrl+N, type, Enter, and once the reply is done Ctrl+PgDn to look at another
conversation. Resident memory is sampled every minute, and its slope after the warm-up
(the first third) must stay under 1 MB per 10 minutes. Each reply goes to a new
conversation, so what is on screen stays the same size and growth means a leak (five
conversations taking every reply grew with their own text). Run by hand once, not in
CI (`--quick` is the CI plumbing test).

    python -m benchmarks.b10_soak [--quick] [--minutes M]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.b1_stream import free_port
from benchmarks.common import ROOT, child_env, emit

CONVERSATIONS = 5
TOKENS = 2_000  # one reply: 10 s at 200 chunks/s
QUICK_TOKENS = 200  # 1 s
RATE = 200
TARGET_MB_PER_10_MIN = 1.0


def rss_mb() -> float:
    """Resident memory now (not the peak): what a leak makes grow."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def slope_per_10_min(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB), in MB per 10 minutes."""
    if len(samples) < 2:
        return 0.0
    xs, ys = [t for t, _ in samples], [m for _, m in samples]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs) or 1e-9
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var * 600


async def soak(url: str, data: Path, seconds: float, every: float) -> dict[str, object]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from opchat_gui.app.main import parse_args, start

    session = await start(parse_args(["--data-dir", str(data), "--url", url]))
    window, service = session.window, session.service
    for _ in range(CONVERSATIONS):
        assert service.new_conversation() is not None
    await asyncio.sleep(1.0)
    began = time.monotonic()
    samples: list[tuple[float, float]] = [(0.0, rss_mb())]
    replies = 0
    while time.monotonic() - began < seconds:
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        await asyncio.sleep(0.2)
        window.composer.setFocus()
        QTest.keyClicks(window.composer, f"Reply number {replies + 1}, please")
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        await asyncio.sleep(0.2)
        cid = window.current_id
        assert cid is not None, "Enter after Ctrl+N started no conversation"
        while service.is_streaming(cid):
            await asyncio.sleep(0.1)
            now = time.monotonic() - began
            if now - samples[-1][0] >= every:
                samples.append((now, rss_mb()))
        replies += 1
        QTest.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        await asyncio.sleep(0.5)  # another conversation opened and drawn
    samples.append((time.monotonic() - began, rss_mb()))
    saved = sum(len(service.messages(c.id)) for c in service.conversation_list())
    window.close()
    await session.close()
    return {"samples": samples, "replies": replies, "messages_saved": saved}


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="3 seconds of 1-second replies, sampled every 0.5")
    parser.add_argument("--minutes", type=float, default=30.0)
    args = parser.parse_args(argv)
    # The quick run is the plumbing test: keys, replies saved, memory sampled. A reply of
    # QUICK_TOKENS streams for about 1 s, so each one is sampled at least once.
    seconds, every = (3.0, 0.5) if args.quick else (args.minutes * 60, 60.0)
    tokens = QUICK_TOKENS if args.quick else TOKENS
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "opchat_gui.demo.aiengine_server",
                               "--port", str(port), "--delay", "0"], stdout=subprocess.PIPE,
                              text=True, env=child_env(), cwd=str(ROOT))
    try:
        assert server.stdout is not None
        server.stdout.readline()
        url = f"http://127.0.0.1:{port}/play/huge:tokens={tokens},rate={RATE}"
        from PySide6.QtWidgets import QApplication

        from opchat_gui.app.event_loop import AppEventLoop

        app = QApplication.instance() or QApplication(sys.argv[:1])
        loop = AppEventLoop(app)
        asyncio.set_event_loop(loop)
        with tempfile.TemporaryDirectory() as tmp, loop:
            got = loop.run_until_complete(soak(url, Path(tmp) / "data", seconds, every))
    finally:
        server.terminate()
        server.wait(10)
    samples: list[tuple[float, float]] = got["samples"]  # type: ignore[assignment]
    warm = [s for s in samples if s[0] >= seconds / 3]
    slope = slope_per_10_min(warm)
    result: dict[str, object] = {
        "benchmark": "B10 soak",
        "minutes": round(seconds / 60, 2),
        "replies": got["replies"],
        "messages_saved": got["messages_saved"],
        "rss_mb": [[round(t), round(m, 1)] for t, m in samples],
        "rss_slope_mb_per_10_min": round(slope, 3),
        "targets": {"rss_slope_mb_per_10_min": TARGET_MB_PER_10_MIN},
        "met": {"rss_slope": slope < TARGET_MB_PER_10_MIN},
    }
    emit(result)
    return result


if __name__ == "__main__":
    main()

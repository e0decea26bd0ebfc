"""B9 latency (the issue's "B8 latency"): Enter to the first token painted, minus the
server's own time to its first byte, p95 <= 20 ms with the first send after start
included; and the longest event-loop stall around each send.

    python -m benchmarks.b9_latency [--quick] [--starts N] [--sends N]

The local AI Engine server runs in its own process and prints, per request, how long it
took from the request's arrival to its first byte; the app runs in fresh child
processes (the first send of each is one a user makes right after start, once the window
has been idle for a second, then typed at 20 keys a second) and prints Enter and paint
times on the monotonic clock. Both print on the same clock, so the JSON also says where a
send's milliseconds go (`phases_p50_ms`): the key's handling (the message saved and
drawn, the reply started), from there to the request's arrival at the server, from the
server's first byte to the chunk signal, and from it to the paint.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, child_env, emit, percentile

TARGET_P95_MS = 20.0
# B9_PROFILE=N: profile send number N (0 = the first) and print it, with the modules it
# imported, to stderr; a diagnostic, not part of the figures.
PROFILE: dict[str, Any] | None = {} if os.environ.get("B9_PROFILE") else None
IDLE_BEFORE_FIRST_SEND = 1.0  # seconds: the window is up, the user starts typing
KEY_MS = 50  # between keys: 20 keys a second, faster than nearly anyone types


def serve(port: int) -> None:
    """The demo server, reporting each submit's time to first byte on stdout."""
    import asyncio

    from opchat_gui.demo import aiengine_server as server_module

    original = server_module._stream

    requests = [0]  # since the last reply: a nonce fetched first would count here

    async def timed(play: object, response: object, chunks: list[str]) -> None:
        arrived = play.request["arrived"]  # type: ignore[attr-defined]
        print(json.dumps({"ttfb_ms": (time.monotonic() - arrived) * 1000,
                          "arrived": arrived, "requests": requests[0]}), flush=True)
        requests[0] = 0
        await original(play, response, chunks)  # type: ignore[arg-type]

    class Timed(server_module.DevServer):
        async def _dispatch(self, request):  # type: ignore[no-untyped-def]
            request["arrived"] = time.monotonic()  # the same clock as the app's
            requests[0] += 1
            return await super()._dispatch(request)

    server_module._stream = timed  # type: ignore[assignment]

    async def run() -> None:
        await Timed(default_delay=0.002).start(port)
        print("ready", flush=True)
        await asyncio.Event().wait()

    asyncio.run(run())


def print_profile() -> None:
    import pstats

    assert PROFILE is not None
    PROFILE["on"] = False
    PROFILE["prof"].disable()
    order = os.environ.get("B9_SORT", "cumulative")  # or tottime
    pstats.Stats(PROFILE["prof"], stream=sys.stderr).sort_stats(order).print_stats(45)
    new = sorted(m for m in set(sys.modules) - PROFILE["mods"] if "." not in m)
    print("modules imported:", " ".join(new), file=sys.stderr)


def child(data_dir: str, url: str, sends: int) -> int:
    """The app, sending `sends` messages by keys; one JSON line per send."""
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtTest import QTest

    from benchmarks.b1_stream import LagProbe
    from opchat_gui.app import launch
    from opchat_gui.app import main as app_module

    original = app_module.start

    async def start(args: object, *frame: object) -> object:
        session = await original(args, *frame)  # type: ignore[arg-type]
        window = session.window
        service = session.service
        viewport = window.transcript.viewport()
        probe = LagProbe()
        state: dict[str, float | bool] = {"armed": False}
        done = [0]

        class PaintWatch(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and state["armed"] and \
                        "painted" not in state:
                    state["armed"] = False
                    QTimer.singleShot(0, painted)  # after this paint has been drawn
                return False

        watch = PaintWatch(window)
        viewport.installEventFilter(watch)

        def on_chunk(*_: object) -> None:
            if "first_chunk" not in state:
                state["first_chunk"] = time.monotonic()
                state["armed"] = True

        def painted() -> None:
            state["painted"] = time.monotonic()
            if PROFILE is not None and PROFILE.get("on"):
                print_profile()

        def on_streaming(_cid: int, streaming: bool) -> None:
            if not streaming and "enter" in state:
                QTimer.singleShot(200, report)

        def report() -> None:
            probe.stop()
            print(json.dumps({"enter": state["enter"], "painted": state.get("painted"),
                              "handled": state.get("handled"),
                              "first_chunk": state.get("first_chunk"),
                              "stall_max_ms": max(probe.lags, default=0.0)}), flush=True)
            done[0] += 1
            if done[0] >= sends:
                window.close()
            else:
                QTimer.singleShot(300, send)

        def send() -> None:
            state.clear()
            state["armed"] = False
            window.composer.setFocus()
            type_keys(f"Question number {done[0] + 1}, please")

        def type_keys(text: str) -> None:
            """One key per KEY_MS, as a (very fast) typist would."""
            if text:
                QTest.keyClicks(window.composer, text[0])
                QTimer.singleShot(KEY_MS, lambda: type_keys(text[1:]))
                return
            probe.start()
            if PROFILE is not None and done[0] == int(os.environ["B9_PROFILE"]):
                import cProfile
                PROFILE.update(on=True, prof=cProfile.Profile(), mods=set(sys.modules))
                PROFILE["prof"].enable()
            state["enter"] = time.monotonic()
            QTest.keyClick(window.composer, Qt.Key.Key_Return)
            state["handled"] = time.monotonic()

        service.chunk.connect(on_chunk)
        service.streamingChanged.connect(on_streaming)
        QTimer.singleShot(int(IDLE_BEFORE_FIRST_SEND * 1000), send)
        return session

    app_module.start = start  # type: ignore[assignment]
    return launch.main(["--data-dir", data_dir, "--url", url])


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one start, two sends")
    parser.add_argument("--starts", type=int, default=5, help="fresh app processes")
    parser.add_argument("--sends", type=int, default=10, help="sends per process")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return {}
    if args.child:
        raise SystemExit(child(args.child[0], args.child[1], int(args.child[2])))
    starts, sends = (1, 2) if args.quick else (args.starts, args.sends)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.b9_latency", "--serve",
                               str(port)], stdout=subprocess.PIPE, text=True,
                              env=child_env(), cwd=str(ROOT))
    import tempfile

    latencies: list[float] = []
    first: list[float] = []
    first_stall: list[float] = []
    later_stall: list[float] = []
    phases: dict[str, list[float]] = {}  # where a send's milliseconds go, per send
    requests: list[int] = []  # requests the server had per reply (2 = a nonce first)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip() == "ready"
        with tempfile.TemporaryDirectory() as tmp:
            for number in range(starts):
                proc = subprocess.run(
                    [sys.executable, "-m", "benchmarks.b9_latency", "--child",
                     str(Path(tmp) / f"d{number}"), f"http://127.0.0.1:{port}", str(sends)],
                    capture_output=True, text=True, env=child_env(), cwd=str(ROOT),
                    timeout=300)
                if PROFILE is not None:
                    print(proc.stderr[-30000:], file=sys.stderr)
                rows = [json.loads(line) for line in proc.stdout.splitlines()
                        if line.startswith("{")]
                if proc.returncode != 0 or len(rows) != sends:
                    raise RuntimeError(f"child failed ({proc.returncode}): "
                                       f"{proc.stderr[-2000:]}")
                served = [json.loads(server.stdout.readline()) for _ in rows]
                for index, (row, seen) in enumerate(zip(rows, served, strict=True)):
                    ttfb = seen["ttfb_ms"]
                    value = (row["painted"] - row["enter"]) * 1000 - ttfb
                    first_byte = seen["arrived"] + ttfb / 1000
                    for name, start, end in (
                            ("enter_to_key_handled", row["enter"], row["handled"]),
                            ("key_handled_to_request_arrived", row["handled"],
                             seen["arrived"]),
                            ("first_byte_to_chunk_signal", first_byte, row["first_chunk"]),
                            ("chunk_signal_to_painted", row["first_chunk"], row["painted"])):
                        phases.setdefault(name, []).append((end - start) * 1000)
                    requests.append(seen["requests"])
                    latencies.append(value)
                    (first if index == 0 else []).append(value)
                    (first_stall if index == 0 else later_stall).append(row["stall_max_ms"])
    finally:
        server.terminate()
        server.wait(10)
    result: dict[str, object] = {
        "benchmark": "B9 latency",
        "starts": starts,
        "sends_per_start": sends,
        "latency_p50_ms": round(percentile(latencies, 50), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
        "latency_max_ms": round(max(latencies), 1),
        "first_send_ms": [round(v, 1) for v in first],
        "first_send_stall_max_ms": round(max(first_stall), 1),
        "later_send_stall_max_ms": round(max(later_stall, default=0.0), 1),
        "phases_p50_ms": {name: round(percentile(values, 50), 1)
                          for name, values in phases.items()},
        "first_send_phases_ms": {name: round(values[0], 1)
                                 for name, values in phases.items()},
        "requests_per_reply_max": max(requests),
        "targets": {"latency_p95_ms": TARGET_P95_MS, "first_send_ms": TARGET_P95_MS},
    }
    result["met"] = {"latency_p95_ms": percentile(latencies, 95) <= TARGET_P95_MS,
                     "first_send_ms": max(first) <= TARGET_P95_MS}
    emit(result)
    return result


if __name__ == "__main__":
    main()

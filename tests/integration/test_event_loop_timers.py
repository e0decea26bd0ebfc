"""The app's asyncio loop (app/event_loop.py): a cancelled timer is stopped at once, so a
stream that re-arms its read timeout on every read leaves no live timers behind."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from opchat_gui.app.event_loop import AppEventLoop
from opchat_gui.demo.aiengine_server import DevServer
from opchat_gui.providers.opchatgpts import Opchatgpts
from tests.conftest import Run

MESSAGES = [{"role": "user", "content": "stream, please"}]


def test_a_cancelled_timer_is_stopped_and_never_runs(loop: AppEventLoop, run: Run) -> None:
    ran: list[str] = []
    before = loop.pending_timers
    handle = loop.call_later(3600, ran.append, "late")
    assert loop.pending_timers == before + 1
    handle.cancel()
    handle.cancel()  # twice is harmless
    assert loop.pending_timers == before
    # aiohttp's read timeout: cancelled and armed again on every read
    for _ in range(1000):
        handle = loop.call_later(60, ran.append, "timeout")
        handle.cancel()
    assert loop.pending_timers == before
    run(asyncio.sleep(0.05))
    assert ran == []


def test_a_handle_cancelled_after_it_ran_leaves_its_ids_next_timer_alone(
        loop: AppEventLoop, run: Run) -> None:
    """Qt gives a fired timer's id, with a new serial, to the next timer started, and the
    serial wraps after a few hundred: `asyncio.sleep` cancels its handle after it ran,
    and that must not stop the timer that holds the id by then."""
    ran: list[str] = []
    later: list[asyncio.Handle] = []

    def first_runs() -> None:  # its timer was just stopped: its id is the next one given
        ran.append("first")
        for _ in range(5000):
            second = loop.call_later(3600, ran.append, "second")
            if second._timer_id == first._timer_id:  # type: ignore[attr-defined]
                later.append(second)
                return
            second.cancel()

    first = loop.call_later(0, first_runs)
    run(asyncio.sleep(0.01))
    assert ran == ["first"] and later, "Qt never gave the id again"
    before = loop.pending_timers
    first.cancel()
    assert loop.pending_timers == before  # `second` still waits ...
    later[0].cancel()
    assert loop.pending_timers == before - 1  # ... until its own cancel
    run(asyncio.sleep(0.02))
    assert ran == ["first"]


def test_a_coroutine_or_a_non_callable_is_refused(loop: AppEventLoop) -> None:
    async def coroutine() -> None:
        pass

    before = loop.pending_timers
    for bad in (coroutine, "not callable"):
        try:
            loop.call_soon(bad)  # type: ignore[arg-type]
        except TypeError as exc:
            assert "call_later" in str(exc)
        else:
            raise AssertionError(f"{bad!r} was accepted")
    assert loop.pending_timers == before


def test_callbacks_run_in_order_and_errors_reach_the_handler(loop: AppEventLoop,
                                                              run: Run) -> None:
    ran: list[str] = []
    caught: list[dict[str, Any]] = []
    strict = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: caught.append(context))
    try:
        for name in ("a", "b", "c"):
            loop.call_soon(ran.append, name)
        loop.call_soon(lambda: 1 / 0)
        loop.call_soon(ran.append, "after the error")
        loop.call_later(0.03, ran.append, "later")  # (due after them, however slow this is)
        run(asyncio.sleep(0.1))
    finally:
        loop.set_exception_handler(strict)
    assert ran == ["a", "b", "c", "after the error", "later"]
    assert [type(context.get("exception")) for context in caught] == [ZeroDivisionError]


def test_a_worker_threads_callback_runs_on_the_loops_thread(loop: AppEventLoop,
                                                            run: Run) -> None:
    ran_on: list[threading.Thread] = []
    before = loop.pending_timers

    async def from_a_thread() -> None:
        done = loop.create_future()

        def on_loop() -> None:
            ran_on.append(threading.current_thread())
            done.set_result(None)

        worker = threading.Thread(target=loop.call_soon_threadsafe, args=(on_loop,))
        worker.start()
        await done
        worker.join()

    run(from_a_thread())
    assert ran_on == [threading.main_thread()]
    assert loop.pending_timers == before


def test_a_fast_stream_leaves_no_live_timers(loop: AppEventLoop, run: Run,
                                            server: DevServer) -> None:
    """Real HTTP: each token is its own server write, each read re-arms the 60 s read
    timeout. With qasync's own timers every one of those stayed live for a minute."""
    chunks = 0
    most = 0
    before = loop.pending_timers

    async def stream() -> None:
        nonlocal chunks, most
        url = server.play_url("huge", tokens=3000, rate=3000)
        async for _chunk in Opchatgpts.create_async_generator("gpt-4o", MESSAGES, url=url):
            chunks += 1
            most = max(most, loop.pending_timers)

    run(stream())
    assert chunks >= 300  # reads enough to have left hundreds of timers
    assert most - before < 50
    run(asyncio.sleep(0.05))
    assert loop.pending_timers - before < 10

"""Shared fixtures: offscreen Qt, a strict qasync loop, a real local server, fresh data dirs."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

from opchat_gui.app.event_loop import AppEventLoop
from opchat_gui.app.main import Session, parse_args, start
from opchat_gui.demo.aiengine_server import DevServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests (the frozen build) first: with two workers the longest test then runs
    beside the others from the start instead of last, alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True, scope="session")
def collect_on_the_main_thread() -> Iterator[None]:
    """As the app does (opchat_gui.app.collector): a collection a worker thread triggered
    would free Qt objects on that thread, and their timers crash the process later."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_after_each_test() -> Iterator[None]:
    """Runs its teardown last, after the windows and loops are closed, on this thread.
    A popup or dialog a test left open would take the next test's keys: Qt matches
    window shortcuts against the active popup, so close them first."""
    yield
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        for _ in range(20):
            left = QApplication.activePopupWidget() or QApplication.activeModalWidget()
            if left is None:
                break
            left.close()
        # Free the windows the test left (hidden by Session.close(), or never closed): a
        # lambda a window connects to its own child's signal is held by Qt, out of gc's
        # sight, so the window would live on, and every later theme switch, focus change
        # and collection in this worker would walk its widgets too.
        for widget in QApplication.topLevelWidgets():
            if widget.parentWidget() is None:
                widget.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    # What outlived the test (modules, caches) moves out of gc's sight: each collection then
    # walks only what later tests make, not the ~100,000 objects of the imports (60 ms).
    gc.freeze()


@pytest.fixture(autouse=True)
def no_local_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app probes the local presets (Ollama, LM Studio, llama.cpp) at every start and
    makes one the default; a developer's own running server must not change a test."""
    from opchat_gui.providers import openai_compat

    monkeypatch.setattr(openai_compat, "PRESETS",
                        tuple(p for p in openai_compat.PRESETS if not p.local))


@pytest.fixture
def loop(qapp: Any) -> Iterator[AppEventLoop]:
    """A qasync loop that fails the test on any exception it had to swallow."""
    event_loop = AppEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    errors: list[dict[str, Any]] = []
    event_loop.set_exception_handler(lambda _loop, context: errors.append(context))
    yield event_loop
    pending = [task for task in asyncio.all_tasks(event_loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        event_loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    event_loop.run_until_complete(event_loop.shutdown_asyncgens())
    gc.collect()  # "Task exception was never retrieved" is reported on collection
    event_loop.close()
    asyncio.set_event_loop(None)
    if errors:
        shown = "; ".join(f"{c.get('message')}: {c.get('exception')!r}" for c in errors)
        pytest.fail(f"unhandled event-loop exceptions: {shown}")


Run = Callable[..., Any]


@pytest.fixture
def run(loop: AppEventLoop) -> Run:
    """run(coro, timeout=30): drive the qasync loop (and so Qt) until coro is done."""

    def runner(coro: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        # Not loop.run_until_complete(): after stopping, qasync runs one more
        # processEvents() in which tasks may step while no loop counts as running.
        future = asyncio.ensure_future(asyncio.wait_for(coro, timeout), loop=loop)
        future.add_done_callback(lambda _future: loop.stop())
        loop.run_forever()
        return future.result()

    return runner


async def wait_until(predicate: Callable[[], object], timeout: float = 15.0,
                     what: str = "condition") -> None:
    """Poll while the loop (and Qt) keeps running; fail with `what` on timeout."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def server(run: Run) -> Iterator[DevServer]:
    """The local AI Engine server on the test's loop."""
    dev = run(DevServer().start())
    yield dev
    run(dev.stop())


@pytest.fixture
def open_app(run: Run, data_dir: Path) -> Iterator[Callable[..., Session]]:
    """Build the app exactly as main() does; every session is closed at teardown."""
    sessions: list[Session] = []

    def opener(*extra: str) -> Session:
        session = run(start(parse_args(["--data-dir", str(data_dir), *extra])))
        sessions.append(session)
        return session

    yield opener
    for session in sessions:
        run(session.close())


async def collect(agen: AsyncIterator[str]) -> list[str]:
    return [chunk async for chunk in agen]


def chat_requests(server: Any) -> list[Any]:
    """The chat completion requests an OpenAI-compatible server recorded, without the
    model-fact asks (/props, /api/show, /models, /tokenize) the context meter makes."""
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


@pytest.fixture
def openai_server(run: Run) -> Iterator[Any]:
    """The local OpenAI-compatible server on the test's loop."""
    from opchat_gui.demo.openai_server import OpenAIDevServer

    dev = run(OpenAIDevServer().start())
    yield dev
    run(dev.stop())

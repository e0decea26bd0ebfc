"""The app's asyncio loop: qasync's, except that a cancelled timer stops its Qt timer.

qasync runs each `call_later` on a Qt timer and, when the handle is cancelled, leaves that
timer running until it fires (qasync issue 35). aiohttp cancels and re-arms its read
timeout (60 s here) on every read, so a stream left one live Qt timer per read: some
18,000 after a minute of a fast reply. Qt keeps its timers in a list it walks to insert
or remove one, so every timer start and stop in the app, `call_soon` included, got slower
the longer replies streamed, and the stale timers of a finished reply still fired for a
minute after it. Here a cancel stops the Qt timer at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import Context
from typing import Any

import qasync
from PySide6.QtCore import QObject, QTimerEvent
from PySide6.QtWidgets import QApplication


class _Timers(QObject):
    """One-shot Qt timers that run asyncio handles; a cancelled one is stopped."""

    def __init__(self) -> None:
        super().__init__()
        self._handles: dict[int, asyncio.Handle] = {}

    def add(self, handle: asyncio.Handle, delay: float) -> int:
        timer_id = self.startTimer(int(max(0.0, delay) * 1000))  # (as qasync rounds)
        self._handles[timer_id] = handle
        return timer_id

    def forget(self, timer_id: int, handle: asyncio.Handle) -> None:
        """Stop `handle`'s timer if it has not fired. (Qt gives a fired timer's id to the
        next timer started: a handle cancelled after it ran, as `asyncio.sleep` cancels
        its own, must not stop another's.)"""
        if self._handles.get(timer_id) is handle:
            del self._handles[timer_id]
            self.killTimer(timer_id)

    def stop(self) -> None:
        for timer_id in list(self._handles):
            self.killTimer(timer_id)
        self._handles.clear()

    @property
    def pending(self) -> int:
        """Timers still to fire (tests: cancelled ones are gone)."""
        return len(self._handles)

    def timerEvent(self, event: QTimerEvent) -> None:
        timer_id = event.timerId()
        self.killTimer(timer_id)
        handle = self._handles.pop(timer_id, None)
        if handle is not None and not handle.cancelled():
            handle._run()


class _Handle(asyncio.Handle):
    """A `call_later` handle whose cancel stops its Qt timer."""

    __slots__ = ("_timer_id", "_timers")

    def __init__(self, callback: Callable[..., object], args: tuple[Any, ...],
                 loop: asyncio.AbstractEventLoop, context: Context | None,
                 timers: _Timers) -> None:
        super().__init__(callback, args, loop, context=context)
        self._timers = timers
        self._timer_id = -1

    def cancel(self) -> None:
        if not self._cancelled and self._timer_id >= 0:
            self._timers.forget(self._timer_id, self)
        super().cancel()


class AppEventLoop(qasync.QEventLoop):  # type: ignore[misc]
    """qasync's loop with timers that a cancel stops (the module's docstring says why)."""

    def __init__(self, app: QApplication | None = None) -> None:
        super().__init__(app)
        self._app_timers = _Timers()

    @property
    def pending_timers(self) -> int:
        return self._app_timers.pending

    def call_later(self, delay: float, callback: Callable[..., object], *args: Any,
                   context: Context | None = None) -> asyncio.Handle:
        """qasync's call_soon, call_at and call_soon_threadsafe (on the loop's thread, by a
        queued signal) all come here."""
        self._check_callback(callback, "call_later")  # (asyncio's own check)
        handle = _Handle(callback, args, self, context, self._app_timers)
        handle._timer_id = self._app_timers.add(handle, delay)
        return handle

    def close(self) -> None:
        if not self.is_running() and not self.is_closed():
            self._app_timers.stop()
        super().close()

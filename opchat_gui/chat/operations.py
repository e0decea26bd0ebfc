"""Long work (export, import, backup, restore) off the GUI thread, as small operations.

In the spirit of Anki's CollectionOp/QueryOp: an Operation is the work plus what to do
on success, on failure and on cancel; the work runs on a worker thread with its own
SQLite connection and never touches a widget, and the callbacks run on the GUI thread.

Why a plain worker thread per operation, with Qt signals back: operations are rare and
run one at a time, so a pool buys nothing; a dedicated thread never competes with
asyncio's default executor (which resolves host names for the streams), and signals
queued to a QObject on the GUI thread deliver progress and the end whether or not an
asyncio loop is running (a modal dialog's own loop delivers them too).

Only Qt core here: widgets show the runner's signals (ui/widgets/operation_progress.py).
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from opchat_gui.core.text import fill

log = logging.getLogger(__name__)

T = TypeVar("T")
REPORT_EVERY = 0.05  # seconds between progress signals: a few per frame would be waste
SWITCH_INTERVAL = 0.001  # seconds; Python's default 0.005 makes the GUI thread wait longer


class Cancelled(Exception):
    """The user cancelled; the work cleaned up after itself before raising this."""


class OperationFailed(RuntimeError):
    """What went wrong, in one sentence for the user (ArchiveError is one)."""


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    CANCELLED = "cancelled"


class Progress:
    """Handed to the work. `step(done, total)` says how far it got (throttled to
    REPORT_EVERY) and raises Cancelled once someone called `cancel()`."""

    def __init__(self, report: Callable[[int, int], None] | None = None) -> None:
        self._report = report
        self._cancelled = threading.Event()
        self._last = 0.0

    def step(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise Cancelled
        now = time.monotonic()
        if self._report is not None and now - self._last >= REPORT_EVERY:
            self._last = now
            self._report(done, total)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


class Operation(Generic[T]):
    """`work(progress)` for the worker thread, and callbacks for the GUI thread:
    `Operation(label, work).success(f).failure(g).cancelled(h)`."""

    def __init__(self, label: str, work: Callable[[Progress], T]) -> None:
        self.label = label
        self.work = work
        self.outcome: Outcome | None = None
        self._on_success: Callable[[T], object] | None = None
        self._on_failure: Callable[[str], object] | None = None
        self._on_cancel: Callable[[], object] | None = None

    def success(self, callback: Callable[[T], object]) -> Operation[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[str], object]) -> Operation[T]:
        """`callback(sentence)`: what went wrong, for the user."""
        self._on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], object]) -> Operation[T]:
        self._on_cancel = callback
        return self

    @property
    def done(self) -> bool:
        return self.outcome is not None

    def _finish(self, outcome: Outcome, value: Any) -> None:
        self.outcome = outcome
        if outcome is Outcome.SUCCESS and self._on_success is not None:
            self._on_success(value)
        elif outcome is Outcome.FAILURE and self._on_failure is not None:
            self._on_failure(value)
        elif outcome is Outcome.CANCELLED and self._on_cancel is not None:
            self._on_cancel()


class OperationRunner(QObject):
    """Runs one operation at a time on a worker thread; lives on the GUI thread."""

    started = Signal(str)  # the label
    progressed = Signal(int, int)  # done, total
    finished = Signal(str)  # the Outcome

    _reported = Signal(object, int, int)  # from the worker: operation, done, total
    _ended = Signal(object, str, object)  # from the worker: operation, outcome, value

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current: Operation[Any] | None = None
        self._progress: Progress | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._switch_interval = sys.getswitchinterval()
        # Emitted on the worker thread, received here: Qt queues them to the GUI thread.
        self._reported.connect(self._on_reported)
        self._ended.connect(self._on_ended)

    @property
    def current(self) -> Operation[Any] | None:
        return self._current

    def busy(self) -> bool:
        return self._current is not None

    def start(self, operation: Operation[Any]) -> bool:
        """Start `operation`; False (and nothing started) while another one runs."""
        if self._current is not None or self._closed:
            return False
        progress = Progress(lambda done, total: self._reported.emit(operation, done, total))
        self._current, self._progress = operation, progress
        self._thread = threading.Thread(target=self._work, args=(operation, progress),
                                        name="opchat-operation", daemon=True)
        log.info("%s: started in the background", operation.label)
        self._switch_interval = _yield_to_the_gui()
        self.started.emit(operation.label)
        self._thread.start()
        return True

    def cancel(self) -> bool:
        """Ask the running operation to stop; True if one was running."""
        if self._progress is None or self._progress.cancelled:
            return False
        self._progress.cancel()
        return True

    def shutdown(self, timeout: float = 10.0) -> None:
        """On quit: cancel, and wait for the worker to let go of its files."""
        self._closed = True  # an end still queued finds the window gone: no callbacks
        self.cancel()
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self, operation: Operation[Any], progress: Progress) -> None:
        """The worker thread: run, and send back the outcome; never touches a widget."""
        try:
            value = operation.work(progress)
        except Cancelled:
            self._ended.emit(operation, Outcome.CANCELLED.value, None)
        except OperationFailed as exc:
            self._ended.emit(operation, Outcome.FAILURE.value, str(exc))
        except Exception as exc:
            log.exception("operation %r failed", operation.label)
            self._ended.emit(operation, Outcome.FAILURE.value, fill(QCoreApplication.translate(
                "Operations", "%1 failed unexpectedly: %2"), operation.label, exc))
        else:
            self._ended.emit(operation, Outcome.SUCCESS.value, value)

    def _on_reported(self, operation: Operation[Any], done: int, total: int) -> None:
        if operation is self._current:
            self.progressed.emit(done, total)

    def _on_ended(self, operation: Operation[Any], outcome: str, value: object) -> None:
        if operation is self._current:
            if self._thread is not None:
                # Its last act was the emit that brought us here: wait for that to return,
                # so no worker is inside this object once its owner may delete it.
                self._thread.join()
            self._current = self._progress = self._thread = None
            _stop_yielding(self._switch_interval)
        log.info("%s: %s", operation.label, outcome)
        if self._closed:
            return
        self.finished.emit(outcome)
        operation._finish(Outcome(outcome), value)


def _yield_to_the_gui() -> float:
    """While the worker runs, keep the GUI thread's waits for the GIL short; returns the
    switch interval to put back.

    The worker is Python too, so the GUI thread waits for the GIL each time it runs
    Python: up to the switch interval per wait, hence 1 ms instead of 5. And a full
    garbage collection holds the GIL while it walks every object (about 90 ms for this
    app's heap on a busy machine, measured with benchmarks/b6_export.py); frozen, the
    objects that exist now are not walked again until the operation ends.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    gc.freeze()
    return previous


def _stop_yielding(switch_interval: float) -> None:
    gc.unfreeze()
    sys.setswitchinterval(switch_interval)

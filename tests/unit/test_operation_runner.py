"""The operation runner: work on a worker thread, outcomes and progress back on this one."""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from opchat_gui.chat.operations import (
    SWITCH_INTERVAL,
    Cancelled,
    Operation,
    OperationFailed,
    OperationRunner,
    Outcome,
    Progress,
)
from tests.conftest import wait_until


def test_work_runs_off_this_thread_and_success_comes_back_on_it(run):
    runner = OperationRunner()
    seen: dict[str, object] = {}
    events: list[str] = []
    runner.started.connect(lambda label: events.append(f"started {label}"))
    runner.finished.connect(lambda outcome: events.append(f"finished {outcome}"))

    def work(_progress: Progress) -> int:
        seen["worker"] = threading.get_ident()
        # The GUI thread's share of the GIL while it runs (see _yield_to_the_gui).
        seen["switch"], seen["frozen"] = sys.getswitchinterval(), gc.get_freeze_count()
        return 42

    def done(value: int) -> None:
        seen["value"], seen["callback"] = value, threading.get_ident()

    switch = sys.getswitchinterval()
    operation = Operation("Counting", work).success(done)
    assert runner.start(operation) and runner.busy()
    run(wait_until(lambda: operation.done))
    assert operation.outcome == Outcome.SUCCESS and seen["value"] == 42
    assert seen["switch"] == SWITCH_INTERVAL and seen["frozen"] > 0
    assert sys.getswitchinterval() == switch and gc.get_freeze_count() == 0
    assert seen["worker"] != threading.get_ident() == seen["callback"]
    assert events == ["started Counting", "finished success"] and not runner.busy()


def test_one_at_a_time_and_cancel_stops_the_work(run):
    runner = OperationRunner()
    steps: list[tuple[int, int]] = []
    runner.progressed.connect(lambda done, total: steps.append((done, total)))
    cancelled: list[bool] = []
    gate = threading.Event()

    def endless(progress: Progress) -> None:
        n = 0
        while True:
            progress.step(n, 0)
            n += 1
            gate.wait(0.001)

    operation = Operation("Forever", endless).cancelled(lambda: cancelled.append(True))
    assert runner.start(operation)
    assert not runner.start(Operation("Second", lambda _p: None))  # refused while busy
    run(wait_until(lambda: steps, what="progress"))
    assert runner.cancel() and not runner.cancel()  # the second has nothing new to stop
    run(wait_until(lambda: operation.done))
    assert operation.outcome == Outcome.CANCELLED and cancelled == [True]
    assert runner.start(Operation("Next", lambda _p: None))  # free again
    run(wait_until(lambda: not runner.busy()))


def test_failures_are_one_sentence_and_unexpected_errors_are_worded_too(run):
    runner = OperationRunner()
    messages: list[str] = []

    def refuse(_progress: Progress) -> None:
        raise OperationFailed("The folder is read-only.")

    def crash(_progress: Progress) -> None:
        raise ZeroDivisionError("division by zero")

    for work in (refuse, crash):
        operation = Operation("Exporting", work).failure(messages.append)
        assert runner.start(operation)
        run(wait_until(lambda op=operation: op.done))
        assert operation.outcome == Outcome.FAILURE
    assert messages == ["The folder is read-only.",
                        "Exporting failed unexpectedly: division by zero"]


def test_shutdown_waits_for_the_worker_and_drops_late_callbacks(run):
    runner = OperationRunner()
    called: list[str] = []

    def slow(progress: Progress) -> None:
        while True:
            progress.step(0, 1)

    operation = Operation("Slow", slow).cancelled(lambda: called.append("cancelled"))
    runner.start(operation)
    runner.shutdown()
    assert not runner.start(Operation("After", lambda _p: None))
    run(wait_until(lambda: not runner.busy()))
    assert called == []  # the window may be gone: nothing runs after shutdown


def test_progress_is_throttled_and_raises_once_cancelled():
    reports: list[tuple[int, int]] = []
    progress = Progress(lambda done, total: reports.append((done, total)))
    for n in range(1000):
        progress.step(n, 1000)
    assert reports[0] == (0, 1000) and len(reports) < 10
    progress.cancel()
    with pytest.raises(Cancelled):
        progress.step(1, 2)

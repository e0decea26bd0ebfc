"""Garbage cycles are freed on the GUI thread only (opchat_gui.app.collector)."""

from __future__ import annotations

import gc
import threading
import weakref

from opchat_gui.app.collector import MainThreadCollector


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_a_worker_thread_never_collects_and_the_gui_thread_does(qapp):
    collector = MainThreadCollector(interval_ms=60_000)
    assert not gc.isenabled()
    node = Node()
    freed = weakref.ref(node)
    del node
    kept: list[list[int]] = []
    worker = threading.Thread(target=lambda: kept.extend([] for _ in range(100_000)))
    worker.start()
    worker.join()  # allocations far past every threshold, on another thread
    assert freed() is not None
    assert collector.check() > 0
    assert freed() is None


def test_nothing_is_collected_below_the_thresholds(qapp):
    gc.collect()
    collector = MainThreadCollector(interval_ms=60_000)
    node = Node()
    freed = weakref.ref(node)
    del node
    assert collector.check() == 0
    assert freed() is not None
    gc.collect()
    assert freed() is None

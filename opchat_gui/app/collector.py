"""Python's cycle collector, run only on the GUI thread.

The collector runs on whichever thread happens to allocate when a threshold is crossed:
an export, an import or a backup thread, the MCP SDK's import. If it frees a Qt object
there, Qt cannot stop that object's timers from the wrong thread ("QObject::~QObject:
Timers cannot be stopped from another thread") and a later timer event reaches freed
memory: a segfault, reproduced in the test suite. So automatic collection is off and
this timer collects, by the same generation thresholds, on the GUI thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500  # often enough that garbage never piles up between two checks


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold (as gc would)."""
        counts = gc.get_count()
        generation = -1
        for level, (count, threshold) in enumerate(zip(counts, self.thresholds, strict=True)):
            if threshold and count > threshold:
                generation = level
        return gc.collect(generation) if generation >= 0 else 0

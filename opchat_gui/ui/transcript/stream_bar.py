"""The transcript's scroll bar, repainted less while a reply streams.

Each streamed update grows the bar's range and moves its value, and each change
repainted the bar through the style sheet (0.05-0.1 ms an update), for a handle that moves
by a fraction of a pixel once the reply is long. Changes made inside `held()` (the
transcript's streamed updates) repaint it at most once every HOLD_MS, the last of them
HOLD_MS after the stream's; any other change (the user scrolling or dragging, a page
opened) repaints it at once, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractSlider, QScrollBar, QWidget

HOLD_MS = 100


class StreamBar(QScrollBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._holding = False
        self._late = False  # a change was not painted yet
        self.hold = QTimer(self)  # runs while changes are held
        self.hold.setSingleShot(True)
        self.hold.setInterval(HOLD_MS)
        self.hold.timeout.connect(self._catch_up)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Changes in here repaint the bar at most every HOLD_MS."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        if self._holding and self.hold.isActive():
            self._late = True
            return  # (the base only schedules a repaint: _catch_up does)
        super().sliderChange(change)
        if self._holding:
            self.hold.start()

    def _catch_up(self) -> None:
        if self._late:
            self._late = False
            self.update()

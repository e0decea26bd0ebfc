"""The transcript's scroll bar, repainted less while a reply streams.

Each streamed update grows the bar's range and moves its value, and each change
repainted the bar through the style sheet (0.05-0.1 ms an update), for a handle that moves
by a fraction of a pixel once the reply is long. Changes made inside `held()` (the
transcript's streamed updates) repaint it at most once every HOLD_MS: when a hold ends,
the stream's next change paints the bar in the same repaint as the view's new text (a
paint of its own would be a second pass of the window's repaint for a few pixels), and
only when none comes within another HOLD_MS (the stream ended or paused) is the last
change painted alone. Any other change (the user scrolling or dragging, a page opened)
repaints it at once, as before.
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
        self._due = False  # the hold ended: the next change paints
        self.hold = QTimer(self)  # runs while changes are held, then while one is due
        self.hold.setSingleShot(True)
        self.hold.setInterval(HOLD_MS)
        self.hold.timeout.connect(self.hold_ended)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Changes in here repaint the bar at most every HOLD_MS."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        if self._holding and self.hold.isActive() and not self._due:
            self._late = True
            return  # (the base only schedules a repaint: hold_ended does)
        super().sliderChange(change)
        self._late = self._due = False
        if self._holding:
            self.hold.start()
        elif self.hold.isActive():
            self.hold.stop()  # (painted now: nothing is due)

    def hold_ended(self) -> None:
        """The hold's timer: a change held back is painted by the stream's next change,
        or alone if none comes within another HOLD_MS."""
        if not self._late:
            return
        if not self._due:
            self._due = True
            self.hold.start()
            return
        self._late = self._due = False
        self.update()

"""A big table's grid (render/big_tables.py) drawn line by line, never wrapped.

Why not a QTextDocument like the wide tables: laying out 300 lines of 280 characters
took Qt 20-35 ms, then as much again at the grid's width, all in one event-loop turn
when the table opened (B6 stalled 150-225 ms). Monospaced lines need no layout: the size
is a line count and a width, and a paint draws only the lines on screen. Each row is one
line, so the columns stay aligned; the object around it scrolls them sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QPainter

PAD = 10  # pixels of code background left and right of the lines (a code block's indent)
TOP = 4  # and above and below them


class GridText:
    """One grid's lines in the transcript's monospace, measured once."""

    def __init__(self, text: str, background: str, base: QFont) -> None:
        self.lines = text.rstrip("\n").split("\n")
        self.background = background
        self.font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.font.setPointSizeF(base.pointSizeF() if base.pointSizeF() > 0
                                else self.font.pointSizeF())
        self.metrics = QFontMetricsF(self.font)
        longest = max(self.lines, key=len)  # rows are padded: the longest is the widest
        width = max(self.metrics.horizontalAdvance(longest), 1.0)
        self.size = QSizeF(width + 2 * PAD, len(self.lines) * self.metrics.lineSpacing()
                           + 2 * TOP)

    def text(self) -> str:
        return "\n".join(self.lines)

    def draw(self, painter: QPainter, clip: QRectF, colour: QColor) -> None:
        """The lines that cross `clip` (grid coordinates), on the code background."""
        painter.fillRect(clip.intersected(QRectF(QPointF(0, 0), self.size)),
                         QColor(self.background))
        painter.setFont(self.font)
        painter.setPen(colour)
        spacing = self.metrics.lineSpacing()
        first = max(0, int((clip.top() - TOP) // spacing))
        last = min(len(self.lines), int((clip.bottom() - TOP) // spacing) + 1)
        for number in range(first, last):
            baseline = TOP + number * spacing + self.metrics.ascent()
            painter.drawText(QPointF(PAD, baseline), self.lines[number])

    def x_of(self, needle: str) -> float | None:
        """Where the first line holding `needle` (any case) has it, in grid pixels."""
        words = needle.casefold()
        for line in self.lines:
            at = line.casefold().find(words)
            if at >= 0:
                return PAD + self.metrics.horizontalAdvance(line[:at])
        return None

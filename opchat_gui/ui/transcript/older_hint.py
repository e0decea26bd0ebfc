""""Loading older messages…": a small label over the top of the transcript while older
messages are on their way and the top of what is loaded is in view (paging.py).

Painted over the viewport, not written into the document: the document holds messages
only, and the label must not move what is on screen when the page arrives under it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QTextBrowser

from opchat_gui.ui import theme as themes

PAD_X, PAD_Y = 12.0, 4.0  # pixels around the label's text
TOP = 6.0  # pixels from the viewport's top edge


def text() -> str:
    return QCoreApplication.translate("OlderHint", "Loading older messages…")


def shown(view: QTextBrowser, loading: bool) -> bool:
    """While older messages load and the document's top is on screen."""
    return loading and view.verticalScrollBar().value() < view.viewport().height()


def paint(view: QTextBrowser, painter: QPainter, theme: Callable[[], themes.Theme]) -> None:
    colours = theme()
    font = QFont(view.font())
    font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
    metrics = QFontMetricsF(font)
    label = text()
    width = metrics.horizontalAdvance(label) + 2 * PAD_X
    height = metrics.height() + 2 * PAD_Y
    box = QRectF((view.viewport().width() - width) / 2, TOP, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(colours.border), 1))
    painter.setBrush(QColor(colours.alternate))
    painter.drawRoundedRect(box, height / 2, height / 2)
    painter.setFont(font)
    painter.setPen(QColor(colours.muted))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()

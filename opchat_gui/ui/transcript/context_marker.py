"""The line above the first message a request still sends, when older ones are left out
to fit the model's context (chat/context_meter): painted in the gap above that message,
so the document and its index stay untouched."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QTextBrowser

from opchat_gui.ui.transcript.column import PAD_Y
from opchat_gui.ui.transcript.index import MessageIndex

GAP = 4  # pixels between the line's text and the line on either side


class ContextMarker:
    def __init__(self, view: QTextBrowser, index: MessageIndex,
                 colours: Callable[[], tuple[str, str]]) -> None:
        self._view = view
        self._index = index
        self._colours = colours  # (muted text, background)
        self.message_id: int | None = None  # the first message sent
        self.text = ""

    def show(self, message_id: int | None, text: str = "") -> None:
        if (message_id, text) != (self.message_id, self.text):
            self.message_id, self.text = message_id, text
            self._view.viewport().update()

    def rect(self) -> QRectF | None:
        """Where the marker goes, in document coordinates (the gap above the message)."""
        if self.message_id is None or self.message_id not in self._index:
            return None
        head = self._index.header(self.message_id)
        if head is None:
            return None
        layout = self._view.document().documentLayout()
        top = layout.blockBoundingRect(head).top()
        if self._index.messages[self.message_id].role == "user":
            top -= PAD_Y  # above its bubble
        gap = head.blockFormat().topMargin() - PAD_Y
        width = self._view.document().textWidth()
        return QRectF(0, top - gap, width, gap)

    def paint(self, painter: QPainter, area: QRect) -> None:
        rect = self.rect()
        if rect is None:
            return
        dx = self._view.horizontalScrollBar().value()
        dy = self._view.verticalScrollBar().value()
        rect = rect.translated(-dx, -dy)
        if not rect.intersects(QRectF(area)):
            return
        muted, _background = self._colours()
        font = QFont(self._view.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        metrics = QFontMetricsF(font)
        label = metrics.elidedText(self.text, Qt.TextElideMode.ElideRight, rect.width() * 0.8)
        text_width = metrics.horizontalAdvance(label)
        middle = rect.center().y()
        frame = self._view.document().rootFrame().frameFormat()  # the reading column
        left, right = rect.left() + frame.leftMargin(), rect.right() - frame.rightMargin()
        centre = (left + right) / 2
        painter.save()
        pen = QPen(QColor(muted), 1, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(int(left), int(middle), int(centre - text_width / 2 - GAP), int(middle))
        painter.drawLine(int(centre + text_width / 2 + GAP), int(middle), int(right),
                         int(middle))
        painter.setFont(font)
        painter.setPen(QColor(muted))
        painter.drawText(QRectF(centre - text_width / 2, rect.top(), text_width, rect.height()),
                         Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

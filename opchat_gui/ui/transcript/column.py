"""The transcript's reading column and the user's bubbles.

Lines longer than ~46 em are hard to read, so the document keeps a centred column of at
most COLUMN_EM em however wide the window is (the root frame's side margins, refitted
on resize and zoom; the document margin stays for narrow windows). The scroll bar's
width is kept free while it is hidden, so the column stays put when it appears.

The user's messages sit in rounded bubbles. A QTextDocument can only fill a block's
rectangle, and a frame or table per message would make every later edit re-lay out all
of them, so the bubbles are painted under the text instead, for the messages on screen
only: the cost of a paint does not grow with the conversation.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontInfo,
    QPainter,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextFrameFormat,
)
from PySide6.QtWidgets import QStyle, QTextBrowser

from opchat_gui.ui.transcript.index import MessageIndex

COLUMN_EM = 46  # the reading column's widest, in em of the transcript's font
SIDE = 18  # pixels: the least space beside the column (the document margin)
TOP = 6  # pixels above the first message (its header's own gap comes on top)
USER_INDENT = 96  # pixels: the user's bubbles start this far right of the column's edge
PAD_X = 12  # pixels: inside a bubble, beside its text
PAD_Y = 8  # pixels: inside a bubble, above and below its text
RADIUS = 12.0


def column_margin(viewport_width: int, em: int) -> int:
    """The space left and right of the column in a viewport this wide."""
    return max(SIDE, (viewport_width - COLUMN_EM * em) // 2)


def scroll_bar_room(view: QTextBrowser) -> int:
    """The vertical scroll bar's width while it is hidden (0 while it shows)."""
    bar = view.verticalScrollBar()
    extent = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, bar)
    taken = view.contentsRect().width() - view.viewport().width()  # the bar's, if shown
    return max(0, extent - taken)


def fit_column(view: QTextBrowser) -> None:
    """Centre the document's column in the view (a no-op when nothing changed). It is
    centred as if the scroll bar showed, the bar's room kept on the right while it does
    not: when it first appears mid-reply the column neither moves nor wraps again."""
    root = view.document().rootFrame()
    fmt = root.frameFormat()
    room = scroll_bar_room(view)
    side = column_margin(view.viewport().width() - room, QFontInfo(view.font()).pixelSize())
    if (fmt.leftMargin(), fmt.rightMargin(), fmt.topMargin()) == (side, side + room, TOP):
        return
    update = QTextFrameFormat(fmt)
    update.setLeftMargin(side)
    update.setRightMargin(side + room)
    update.setTopMargin(TOP)
    update.setBottomMargin(SIDE)
    root.setFrameFormat(update)


def flatten_spacer(view: QTextBrowser) -> None:
    """The document's first block is an empty spacer every message is written after: give
    it no height, or it is a dead band above the first message."""
    cursor = QTextCursor(view.document())
    fmt = QTextBlockFormat()
    fmt.setLineHeight(0, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    cursor.setBlockFormat(fmt)


class Bubbles:
    """Paints a rounded bubble under each of the user's messages on screen."""

    def __init__(self, view: QTextBrowser, index: MessageIndex,
                 colour: Callable[[], str]) -> None:
        self._view = view
        self._index = index
        self._colour = colour

    def rects(self, top: float, bottom: float) -> list[QRectF]:
        """The bubbles between these document y's (document coordinates)."""
        index, document = self._index, self._view.document()
        order = index.order
        if not order:
            return []
        layout = document.documentLayout()
        last = order[-1]
        if index.messages[last].role != "user":  # (a streaming reply's updates: at once)
            head = index.header(last)
            if head is not None and layout.blockBoundingRect(head).top() <= top:
                return []  # all of it is in the last message, which has no bubble
        first = layout.hitTest(QPointF(0, top), Qt.HitTestAccuracy.FuzzyHit)
        at = index.message_at(document, max(0, first))
        start = order.index(at) if at is not None else 0
        found: list[QRectF] = []
        for number in range(start, len(order)):
            message_id = order[number]
            head = index.header(message_id)
            if head is None:
                continue
            head_rect = layout.blockBoundingRect(head)
            if head_rect.top() > bottom:
                break
            if index.messages[message_id].role != "user":
                continue
            nxt = index.header(order[number + 1]) if number + 1 < len(order) else None
            last = nxt.previous() if nxt is not None else document.lastBlock()
            last_rect = layout.blockBoundingRect(last if last.isValid() else head)
            found.append(self._bubble(head, head_rect, last_rect))
        return found

    def _bubble(self, head: QTextBlock, head_rect: QRectF, last_rect: QRectF) -> QRectF:
        left = head_rect.left() + USER_INDENT
        right = head_rect.left() + head.blockFormat().leftMargin() + head_rect.width() + PAD_X
        return QRectF(QPointF(left, head_rect.top() - PAD_Y),
                      QPointF(right, last_rect.bottom() + PAD_Y))

    def in_view(self, area: QRect) -> list[QRectF]:
        """The bubbles in `area` of the viewport (viewport coordinates)."""
        dx = self._view.horizontalScrollBar().value()
        dy = self._view.verticalScrollBar().value()
        return [rect.translated(-dx, -dy)
                for rect in self.rects(area.top() + dy, area.bottom() + dy)]

    def paint(self, painter: QPainter, rects: list[QRectF]) -> None:
        """Paint these bubbles (`in_view`'s) on the viewport."""
        if not rects:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self._colour()))
        for rect in rects:
            painter.drawRoundedRect(rect, RADIUS, RADIUS)


def viewport_point(view: QTextBrowser, rect: QRectF) -> QPoint:
    """The centre of a document rectangle in viewport coordinates (for tests)."""
    return rect.center().toPoint() - QPoint(view.horizontalScrollBar().value(),
                                            view.verticalScrollBar().value())

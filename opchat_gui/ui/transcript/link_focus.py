"""The keyboard's way through the transcript's links and action icons: Tab moves from
one to the next (QTextBrowser selects it), and this draws a ring around the one reached
and shows its tool tip, as hovering it with the mouse would.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QToolTip

from opchat_gui.ui import theme as themes


class LinkFocus(QObject):
    def __init__(self, view: QTextBrowser, theme: Callable[[], themes.Theme]) -> None:
        super().__init__(view)
        self._view = view
        self._theme = theme

    def rect(self) -> QRectF | None:
        """Where the link Tab moved to is, in the viewport; None without one."""
        view = self._view
        cursor = view.textCursor()
        if not view.hasFocus() or not cursor.hasSelection() or not cursor.charFormat().isAnchor():
            return None
        ends = QTextCursor(cursor)
        ends.setPosition(cursor.selectionStart() + 1)
        if ends.charFormat().anchorHref() != cursor.charFormat().anchorHref():
            return None  # a selection that only ends in a link
        ends.setPosition(cursor.selectionStart())
        left = view.cursorRect(ends)
        ends.setPosition(cursor.selectionEnd())
        right = view.cursorRect(ends)
        if left.top() != right.top():  # a link over two lines: ring its end
            left = QRect(right.left() - right.height(), right.top(), 0, right.height())
        return QRectF(left.united(right)).adjusted(-3, -2, 3, 2)

    def paint(self) -> None:
        """The ring, over the text (called at the end of the view's paintEvent)."""
        ring = self.rect()
        if ring is None:
            return
        painter = QPainter(self._view.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(self._theme().highlight), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(ring, 4, 4)
        painter.end()

    def moved(self) -> None:
        """Tab or Shift+Tab moved the selection (to a link, or off one; the view's
        focusNextPrevChild says so): repaint, and say what the link does."""
        self._view.viewport().update()
        self.show_tip()

    def show_tip(self) -> None:
        ring = self.rect()
        tip = self._view.textCursor().charFormat().toolTip() if ring is not None else ""
        if ring is not None and tip:
            viewport = self._view.viewport()
            QToolTip.showText(viewport.mapToGlobal(ring.bottomLeft().toPoint()), tip, viewport)

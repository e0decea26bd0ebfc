"""The "jump to latest" button: shown while the transcript is scrolled up from its end,
with a dot when new content came in meanwhile (a reply streams on below the fold).

The button is made the first time the view leaves its end, so start-up pays nothing,
and it floats over the viewport's bottom edge (a child of the view, not of its viewport,
which scrolls its children along with the text).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QWidget

from opchat_gui.ui import icons
from opchat_gui.ui import theme as themes

SIZE = 34  # pixels: the round button
GAP = 14  # pixels above the viewport's bottom edge
DOT = 9  # pixels: the new-content dot


class JumpButton(QAbstractButton):
    """A round button with a down arrow, and a dot when there is something new below."""

    def __init__(self, parent: QWidget, theme: Callable[[], themes.Theme]) -> None:
        super().__init__(parent)
        self.setObjectName("jumpToLatest")
        self._theme = theme
        self.fresh = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setFixedSize(SIZE, SIZE)
        self._describe()

    def set_fresh(self, fresh: bool) -> None:
        if fresh != self.fresh:
            self.fresh = fresh
            self._describe()
            self.update()

    def _describe(self) -> None:
        text = self.tr("Jump to the latest message (new content below)") if self.fresh \
            else self.tr("Jump to the latest message")
        self.setToolTip(text)
        self.setAccessibleName(text)

    def sizeHint(self) -> QSize:
        return QSize(SIZE, SIZE)

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = self._theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        circle = QRectF(1.5, 1.5, SIZE - 3, SIZE - 3)
        ring = theme.highlight if self.hasFocus() else theme.border
        painter.setPen(QPen(QColor(ring), 2 if self.hasFocus() else 1))
        painter.setBrush(QColor(theme.alternate if self.underMouse() else theme.base))
        painter.drawEllipse(circle)
        arrow = QRectF(0, 0, 18, 18)
        arrow.moveCenter(circle.center())
        icons.paint(painter, "arrow-down", theme.text, arrow)
        if self.fresh:
            painter.setPen(QPen(QColor(theme.base), 2))
            painter.setBrush(QColor(theme.highlight))
            painter.drawEllipse(QPointF(SIZE - DOT / 2 - 2, DOT / 2 + 2), DOT / 2, DOT / 2)


class JumpToLatest(QObject):
    """Keeps the button in step with the scroll position; `content_added` marks new
    content that arrived while the user reads further up."""

    def __init__(self, view: QAbstractScrollArea, at_bottom: Callable[[], bool],
                 jump: Callable[[], None], theme: Callable[[], themes.Theme]) -> None:
        super().__init__(view)
        self._view = view
        self._at_bottom = at_bottom
        self._jump = jump
        self._theme = theme
        self.button: JumpButton | None = None
        # Checked once the view settled: mid-append the range grows before the view
        # follows, and the button must not blink on every chunk.
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.sync)
        bar = view.verticalScrollBar()
        bar.valueChanged.connect(self._later.start)
        bar.rangeChanged.connect(self._later.start)

    def content_added(self) -> None:
        if not self._at_bottom():
            self._show(fresh=True)

    def sync(self) -> None:
        if self._at_bottom():
            if self.button is not None and self.button.isVisible():
                self.button.set_fresh(False)
                self.button.hide()
        else:
            self._show(fresh=self.button is not None and self.button.fresh)

    def place(self) -> None:
        if self.button is None:
            return
        viewport = self._view.viewport().geometry()
        self.button.move(viewport.center().x() - SIZE // 2, viewport.bottom() - SIZE - GAP)

    def _show(self, *, fresh: bool) -> None:
        if self.button is None:
            self.button = JumpButton(self._view, self._theme)
            self.button.clicked.connect(self._jump)
        self.button.set_fresh(fresh)
        self.place()
        self.button.show()
        self.button.raise_()

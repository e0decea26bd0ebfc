"""The dimmed veil behind an open panel, and the panel's drop shadow.

A panel (help, switcher, search, rename) floats over the chat; without a veil it reads
as part of the page under it. The veil covers the whole window, follows its size, and
a click on it closes the panels, as a click outside a dialog does in the peers' apps.
It is made on the first panel's opening, not at start-up.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QGraphicsDropShadowEffect, QWidget

VEIL_ALPHA = 110  # of 255: the chat stays readable under it, the panel stands out
SHADOW_BLUR = 28
SHADOW_ALPHA = 120


class Backdrop(QWidget):
    def __init__(self, host: QWidget, on_click: Callable[[], None]) -> None:
        super().__init__(host)
        self.setObjectName("panelBackdrop")
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._on_click = on_click
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.hide()

    def cover(self, panel: QWidget) -> None:
        """Show the veil over everything in the window but `panel`."""
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        panel.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, VEIL_ALPHA))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._on_click()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False


def add_shadow(panel: QWidget) -> None:
    """A soft shadow under a floating panel (a graphics effect, drawn by Qt)."""
    shadow = QGraphicsDropShadowEffect(panel)
    shadow.setBlurRadius(SHADOW_BLUR)
    shadow.setOffset(0, 6)
    shadow.setColor(QColor(0, 0, 0, SHADOW_ALPHA))
    panel.setGraphicsEffect(shadow)

"""A panel that floats over the top of the main window: a filter box over a list.

The quick switcher, the history search and the shortcut help are all one of these, so
they share their keys: type to filter, Up/Down to move, Enter to open, Esc to close
(Esc is the window's `stop` action, which closes the open panel first).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.ui.keys import keymap

MAX_WIDTH = 640  # the frame's look comes from the theme's stylesheet (`Overlay { … }`)
MAX_HEIGHT = 460
MIN_ROWS = 6


class Overlay(QFrame):
    closed = Signal()
    fit_rows = True  # as tall as its rows; False: always MAX_HEIGHT (results come later)
    max_width = MAX_WIDTH  # the widest it gets (less 40 px than its window)

    def __init__(self, parent: QWidget, title: str, placeholder: str,
                 view: QAbstractItemView | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName(title)
        self.title = QLabel(title)
        self.title.setObjectName("overlayTitle")
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.filter = QLineEdit()
        self.filter.setObjectName("overlayFilter")
        self.filter.setPlaceholderText(placeholder)
        self.filter.setAccessibleName(placeholder)
        self.filter.setClearButtonEnabled(True)
        self.filter.installEventFilter(self)
        self.list = view if view is not None else QListView()
        self.list.setObjectName("overlayList")
        self.list.setAccessibleName(title)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.installEventFilter(self)
        self.hint = QLabel()
        self.hint.setObjectName("overlayHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.filter)
        self.setTabOrder(self.filter, self.list)
        parent.installEventFilter(self)
        self.hide()

    # Opening and closing

    def open(self) -> None:
        self.hint.setText(self.key_hints())
        self.refresh()
        self._place()
        self.show()
        self.raise_()
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def close_overlay(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def _place(self) -> None:
        parent = self.parentWidget()
        width = min(self.max_width, parent.width() - 40)
        height = min(MAX_HEIGHT, parent.height() - 80, self._content_height())
        self.setGeometry((parent.width() - width) // 2, 48, width, max(160, height))

    def _content_height(self) -> int:
        """As tall as its rows (at least MIN_ROWS, so filtering does not make it jump
        much): a switcher over five conversations is no 460-pixel box of nothing."""
        model = self.list.model()
        if not self.fit_rows or self.list.isHidden() or model is None:
            return MAX_HEIGHT
        rows = max(MIN_ROWS, model.rowCount())
        row = max(self.list.sizeHintForRow(0), self.fontMetrics().height() + 8)
        header = self.list.header().height() if isinstance(self.list, QTreeView) else 0
        chrome = self.sizeHint().height() - self.list.sizeHint().height()
        return chrome + header + rows * row + 2 * self.list.frameWidth() + 4

    # For subclasses

    def refresh(self) -> None:
        """Fill the list for the current filter text."""

    def activate(self, index: QModelIndex) -> None:
        """Open the chosen row."""

    def key_hints(self) -> str:
        """The line under the list naming the panel's keys, as they are bound now."""
        return keymap.hint_line((self.tr("%1 opens"), ("panel_open",)),
                                (self.tr("%1 closes"), ("stop",)))

    def select_row(self, row: int) -> None:
        model = self.list.model()
        if model is None or model.rowCount() == 0:
            return
        row = max(0, min(model.rowCount() - 1, row))
        index = model.index(row, 0)
        self.list.setCurrentIndex(index)
        self.list.scrollTo(index)

    # Keys: the list follows Up/Down while the focus stays in the filter box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            if self.isVisible():
                self._place()
            return False
        if event.type() == QEvent.Type.KeyPress and watched in (self.filter, self.list):
            assert isinstance(event, QKeyEvent)
            current = self.list.currentIndex().row()
            if keymap.matches("panel_down", event):
                self.select_row(current + 1)
                return True
            if keymap.matches("panel_up", event):
                self.select_row(current - 1)
                return True
            if keymap.matches("panel_open", event):
                self.activate(self.list.currentIndex())
                return True
        return super().eventFilter(watched, event)

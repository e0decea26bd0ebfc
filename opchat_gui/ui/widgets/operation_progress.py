"""The status line's view of a background operation (chat/operations.py).

It appears only when the operation lasts longer than SHOW_AFTER_MS, so a quick backup
never flickers, and shows how far the work got, the key that cancels it and a Cancel
button. It only shows: the runner's signals drive it, and its button asks to cancel.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

SHOW_AFTER_MS = 300
BAR_WIDTH = 140


class OperationProgress(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("operationProgress")
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(BAR_WIDTH)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in place
        self.cancel_button.clicked.connect(self.cancel_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            row.addWidget(widget)
        self._title = ""
        self._done = self._total = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._appear)
        self.setVisible(False)

    def begin(self, title: str) -> None:
        self._title = title
        self._done = self._total = 0
        self.cancel_button.setEnabled(True)
        self._refresh()
        self._timer.start(SHOW_AFTER_MS)

    def advance(self, done: int, total: int) -> None:
        self._done, self._total = done, total
        self._refresh()

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText(fill(self.tr("%1: cancelling…"), self._title))

    def end(self) -> None:
        self._timer.stop()
        self.setVisible(False)

    def _appear(self) -> None:
        self.setVisible(True)

    def _refresh(self) -> None:
        if not self.cancel_button.isEnabled():
            return  # "cancelling…" stays until the work has stopped
        keys = keymap.sequences("stop")
        key = keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
        if self._total:
            self.bar.setRange(0, self._total)
            self.bar.setValue(self._done)
            locale = QLocale()
            text = fill(self.tr("%1: %2 of %3"), self._title, locale.toString(self._done),
                        locale.toString(self._total))
        else:
            self.bar.setRange(0, 0)  # busy, with no count yet
            text = fill(self.tr("%1…"), self._title)
        if key:
            text += "  ·  " + fill(self.tr("%1 cancels"), key)
        self.label.setText(text)

"""The multi-line message editor: Enter sends, Shift+Enter breaks the line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from opchat_gui.ui import keymap


class Composer(QPlainTextEdit):
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAccessibleName(self.tr("Message"))
        self.setPlaceholderText(self.tr("Type a message. Enter sends, Shift+Enter adds a line."))
        self.setTabChangesFocus(True)
        self.setMaximumHeight(160)
        self.setMinimumHeight(64)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if keymap.matches("newline", event):
            self.insertPlainText("\n")
            return
        if keymap.matches("send", event):
            if self.toPlainText().strip():
                self.submitted.emit(self.toPlainText())
            return
        super().keyPressEvent(event)

    def take_focus(self) -> None:
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

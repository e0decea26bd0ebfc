"""The per-conversation system prompt editor (Ctrl+Shift+S): Ctrl+Enter saves, Esc cancels."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class SystemPromptDialog(QDialog):
    saved = Signal(str)

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("systemPromptDialog")
        self.setWindowTitle(self.tr("System prompt"))
        self.resize(560, 320)
        self.editor = QPlainTextEdit(text)
        self.editor.setObjectName("systemPromptEditor")
        self.editor.setAccessibleName(self.tr("System prompt"))
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText(self.tr(
            "Instructions sent first, as a system message, with every request of this "
            "conversation. Empty sends none."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.editor.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("This conversation's system prompt "
                                        "(Ctrl+Enter saves, Esc cancels):")))
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.editor.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Enter saves from inside the editor (where Enter itself breaks the line)."""
        if watched is self.editor and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept()
                return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        self.saved.emit(self.editor.toPlainText().strip())
        super().accept()

"""Rename the open conversation (F2): one line, Enter saves, Esc cancels."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QWidget

from opchat_gui.ui.panels.overlay import Overlay


class RenamePrompt(Overlay):
    renamed = Signal(int, str)  # conversation id, new title

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, self.tr("Rename conversation"), self.tr("New title"))
        self.setObjectName("renamePrompt")
        self.list.hide()
        self.hint.setText(self.tr("Enter saves · Esc cancels"))
        self.conversation_id: int | None = None

    def ask(self, conversation_id: int, title: str) -> None:
        self.conversation_id = conversation_id
        self.filter.setText(title)
        self.open()
        self.setFixedHeight(self.sizeHint().height())

    def activate(self, index: QModelIndex) -> None:
        title = self.filter.text().strip()
        if self.conversation_id is not None and title:
            self.close_overlay()
            self.renamed.emit(self.conversation_id, title)

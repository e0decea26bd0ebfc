"""Rename the open conversation: one line; panel_open (Enter) saves, stop (Esc) cancels."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QWidget

from opchat_gui.ui.keys import keymap
from opchat_gui.ui.panels.overlay import Overlay


class RenamePrompt(Overlay):
    renamed = Signal(int, str)  # conversation id, new title

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, self.tr("Rename conversation"), self.tr("New title"))
        self.setObjectName("renamePrompt")
        self.list.hide()
        self.conversation_id: int | None = None

    def ask(self, conversation_id: int, title: str) -> None:
        self.conversation_id = conversation_id
        self.filter.setText(title)
        self.open()
        self.setFixedHeight(self.sizeHint().height())

    def key_hints(self) -> str:
        return keymap.hint_line((self.tr("%1 saves"), ("panel_open",)),
                                (self.tr("%1 cancels"), ("stop",)))

    def activate(self, index: QModelIndex) -> None:
        title = self.filter.text().strip()
        if self.conversation_id is not None and title:
            self.close_overlay()
            self.renamed.emit(self.conversation_id, title)

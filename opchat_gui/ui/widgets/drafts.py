"""Each conversation's unsent composer text, kept on disk so it survives a restart.

Saved when the user switches conversation, when the window closes, and a moment after
typing stops (debounced, so a keystroke never waits for the disk).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from opchat_gui.chat import ChatService
from opchat_gui.ui.widgets.composer import Composer

DEBOUNCE_MS = 700


class DraftKeeper(QObject):
    def __init__(self, service: ChatService, composer: Composer,
                 current: Callable[[], int | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._composer = composer
        self._current = current
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.save)
        composer.textChanged.connect(self._on_text_changed)

    def save(self) -> None:
        """Write the composer's text as the current conversation's draft, now."""
        self._timer.stop()
        self._service.save_draft(self._current(), self._composer.toPlainText())

    def leave(self, conversation_id: int | None) -> None:
        self._timer.stop()
        self._service.save_draft(conversation_id, self._composer.toPlainText())

    def load(self, conversation_id: int | None) -> None:
        self._loading = True
        try:
            self._composer.setPlainText(self._service.draft(conversation_id))
            self._composer.moveCursor(self._composer.textCursor().MoveOperation.End)
        finally:
            self._loading = False

    def sent(self, conversation_id: int) -> None:
        """After a send: the composer is empty, and so is the unsent text on disk."""
        self._timer.stop()
        self._service.save_draft(None, "")
        self._service.save_draft(conversation_id, "")

    def _on_text_changed(self) -> None:
        if not self._loading:
            self._timer.start()

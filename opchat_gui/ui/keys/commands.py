"""Commands on the open conversation: rename, pin, delete, and undo the delete.

Rows of ui/keys/registry.COMMANDS (owner CONVERSATION). They are handed what they use
(the chat service, the list model, callables for the open conversation and the status
line) and know no window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from opchat_gui.chat import ChatService
from opchat_gui.core.messages import Conversation
from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.widgets.conversation_list import ConversationModel

UNDO_MS = 10_000  # how long the status line offers the undo


class ConversationCommands(QObject):
    def __init__(self, service: ChatService, model: ConversationModel, *,
                 current: Callable[[], int | None],
                 open_conversation: Callable[[int | None], None],
                 ask_rename: Callable[[int, str], None],
                 status: Callable[[str, int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.model = model
        self._current_id = current
        self._open = open_conversation
        self._ask_rename = ask_rename
        self._status = status

    def rename_current(self) -> None:
        conversation = self._current()
        if conversation is not None:
            self._ask_rename(conversation.id, conversation.title)

    def toggle_pin(self) -> None:
        conversation = self._current()
        if conversation is not None:
            self.service.toggle_pinned(conversation.id)

    def delete_current(self) -> None:
        conversation = self._current()
        if conversation is None:
            return
        row = self.model.row_of(conversation.id)
        if not self.service.delete(conversation.id):
            return
        title = conversation.title or self.tr("New conversation")
        # Open the next one first: a switch clears the status line, this note must stay.
        self._open(self.model.id_at(min(row, self.model.rowCount() - 1)))
        self._status(fill(self.tr("Deleted “%1”. Press %2 within 10 seconds to undo."), title,
                          keymap.named("undo_delete")), UNDO_MS)

    def undo_delete(self) -> None:
        restored = self.service.undo_delete()
        if restored is not None:
            self._open(restored)
            self._status(self.tr("Restored."), 3000)

    def _current(self) -> Conversation | None:
        current = self._current_id()
        if current is None:
            self._status(self.tr("Send a message first: this conversation is not saved yet."),
                         3000)
            return None
        return self.service.conversation(current)

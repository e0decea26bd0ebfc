"""The composer's unsent text, kept per conversation (and one for "not yet created")."""

from __future__ import annotations

from opchat_gui.chat.storage import StorageGuard, guarded
from opchat_gui.store import History

NEW_DRAFT_KEY = "draft/new"  # the composer's text before a conversation exists


class Drafts:
    def __init__(self, history: History, storage: StorageGuard) -> None:
        self.history = history
        self.storage = storage

    def get(self, conversation_id: int | None) -> str:
        if conversation_id is None:
            return self.history.get_state(NEW_DRAFT_KEY, "") or ""
        conversation = self.history.conversation(conversation_id)
        return conversation.draft if conversation is not None else ""

    @guarded(False)
    def save(self, conversation_id: int | None, text: str) -> bool:
        if conversation_id is None:
            self.history.set_state(NEW_DRAFT_KEY, text)
        elif self.get(conversation_id) != text:
            self.history.update_conversation(conversation_id, draft=text)
        return True

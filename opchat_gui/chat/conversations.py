"""Conversation operations: create, rename, pin, delete with undo, target and system prompt.

A deleted conversation is hidden at once and erased UNDO_SECONDS later, so every query
here leaves the doomed ones out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from opchat_gui.chat.signals import ChatSignals
from opchat_gui.chat.storage import StorageGuard, guarded
from opchat_gui.core.messages import Conversation, ConversationSummary, SearchHit
from opchat_gui.store import History

UNDO_SECONDS = 10.0  # a deleted conversation stays recoverable this long


class Conversations:
    def __init__(self, history: History, signals: ChatSignals, storage: StorageGuard, *,
                 stop: Callable[[int], object],
                 new_defaults: Callable[[], Mapping[str, str]] | None = None) -> None:
        self.history = history
        self.signals = signals
        self.storage = storage
        self._stop = stop  # stops a conversation's stream before it is deleted
        self._new_defaults = new_defaults
        self._doomed: dict[int, asyncio.TimerHandle] = {}  # deleted, still undoable

    # Queries

    def all(self) -> list[Conversation]:
        return [c for c in self.history.conversations() if c.id not in self._doomed]

    def summaries(self) -> list[ConversationSummary]:
        return [c for c in self.history.conversation_list() if c.id not in self._doomed]

    def get(self, conversation_id: int) -> Conversation | None:
        if conversation_id in self._doomed:
            return None
        return self.history.conversation(conversation_id)

    @guarded(())
    def search(self, text: str, limit: int) -> Sequence[SearchHit]:
        return self.history.search(text, limit, frozenset(self._doomed))

    # Changes

    @guarded(None)
    def new(self) -> Conversation | None:
        defaults = dict(self._new_defaults()) if self._new_defaults else {}
        conversation = self.history.create_conversation(
            provider=defaults.get("provider", ""), model=defaults.get("model", ""),
            system_prompt=defaults.get("system_prompt", ""))
        self.signals.conversationsChanged.emit()
        return conversation

    @guarded(False)
    def update(self, conversation_id: int, /, **fields: Any) -> bool:
        self.history.update_conversation(conversation_id, **fields)
        self.signals.conversationsChanged.emit()
        return True

    def rename(self, conversation_id: int, title: str) -> bool:
        title = " ".join(title.split())
        if not title or self.get(conversation_id) is None:
            return False
        return self.update(conversation_id, title=title)

    def toggle_pinned(self, conversation_id: int) -> bool:
        conversation = self.get(conversation_id)
        if conversation is None:
            return False
        return self.update(conversation_id, pinned=int(not conversation.pinned))

    def delete(self, conversation_id: int) -> bool:
        if self.get(conversation_id) is None:
            return False
        self._stop(conversation_id)
        self._doomed[conversation_id] = asyncio.get_event_loop().call_later(
            UNDO_SECONDS, self.erase, conversation_id)
        self.signals.conversationsChanged.emit()
        return True

    def undo_delete(self) -> int | None:
        if not self._doomed:
            return None
        conversation_id = next(reversed(self._doomed))
        self._doomed.pop(conversation_id).cancel()
        self.signals.conversationsChanged.emit()
        return conversation_id

    @guarded(None)
    def erase(self, conversation_id: int) -> None:
        handle = self._doomed.pop(conversation_id, None)
        if handle is None:
            return
        handle.cancel()
        self.history.delete_conversation(conversation_id)

    def erase_all_doomed(self) -> None:
        for conversation_id in list(self._doomed):
            self.erase(conversation_id)

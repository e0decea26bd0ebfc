"""Conversation history in SQLite. Never imports Qt."""

from opchat_gui.store.history import (
    Conversation,
    ConversationSummary,
    History,
    Message,
    MessageState,
)
from opchat_gui.store.search import SearchHit

__all__ = ["Conversation", "ConversationSummary", "History", "Message", "MessageState", "SearchHit"]

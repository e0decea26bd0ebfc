"""Conversation history in SQLite. Never imports Qt."""

from opchat_gui.core.messages import (
    Conversation,
    ConversationSummary,
    Message,
    MessageState,
    SearchHit,
)
from opchat_gui.store.history import History

__all__ = ["Conversation", "ConversationSummary", "History", "Message", "MessageState", "SearchHit"]

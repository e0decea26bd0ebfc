"""Conversation history in SQLite. Never imports Qt."""

from opchat_gui.store.history import Conversation, History, Message, MessageState

__all__ = ["Conversation", "History", "Message", "MessageState"]

"""Conversation history in SQLite. Never imports Qt.

`History` is loaded on first use (PEP 562): start-up's first frame reads the list through
`store.glance` before anything opens the history, and importing this package must not
bring in the whole history API (nor the message types) for that."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opchat_gui.core.messages import (
        Conversation,
        ConversationSummary,
        Message,
        MessageState,
        SearchHit,
    )
    from opchat_gui.store.history import History

__all__ = ["Conversation", "ConversationSummary", "History", "Message", "MessageState", "SearchHit"]


def __getattr__(name: str) -> Any:
    if name == "History":
        from opchat_gui.store.history import History

        return History
    if name in __all__:  # nor the message types (store/glance needs only the summary)
        from opchat_gui.core import messages

        return getattr(messages, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

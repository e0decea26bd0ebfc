"""A conversation as the list shows it, apart from the message types (core/messages.py):
start-up's first frame reads the list before anything else of the history is loaded."""

from __future__ import annotations

from typing import NamedTuple


class ConversationSummary(NamedTuple):
    """What the conversation list shows: cheap to load for 10,000 conversations."""

    id: int
    title: str
    pinned: int
    updated_at: float  # last activity: the list's date groups

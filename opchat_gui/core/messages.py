"""Messages and conversations as every layer sees them: plain frozen values.

The store builds them from rows, the chat service passes them in signals, the UI draws
them; none of those needs the others' modules to know what a message is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from opchat_gui.core.errors import Failure
from opchat_gui.core.summary import ConversationSummary as ConversationSummary


class MessageState(StrEnum):
    STREAMING = "streaming"
    DONE = "done"
    FAILED = "failed"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"  # was streaming when the app died
    CUT_OFF = "cut_off"  # the server stopped at its length limit (finish_reason "length")
    WITHHELD = "withheld"  # the server withheld the rest (finish_reason "content_filter")


# What may be done with a reply in each state; the chat service and the UI both ask these.
RETRYABLE_STATES = frozenset({MessageState.FAILED, MessageState.STOPPED,
                              MessageState.INTERRUPTED, MessageState.CUT_OFF})
CONTINUABLE_STATES = RETRYABLE_STATES  # with some text: Continue goes on from it
REGENERABLE_STATES = frozenset({MessageState.DONE, MessageState.WITHHELD})  # a new sibling
CONTEXT_STATES = frozenset({MessageState.DONE, MessageState.STOPPED, MessageState.INTERRUPTED,
                            MessageState.CUT_OFF, MessageState.WITHHELD})  # seen again
# Replies that ended before their text did: drawn as if it had ended there (no raw `**`).
CUT_SHORT_STATES = frozenset({MessageState.FAILED, MessageState.STOPPED,
                              MessageState.INTERRUPTED, MessageState.CUT_OFF,
                              MessageState.WITHHELD})
# Why a server says it ended a reply (OpenAI's finish_reason) -> the state it leaves.
FINISH_STATES = {"length": MessageState.CUT_OFF, "content_filter": MessageState.WITHHELD}


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created_at: float
    updated_at: float
    pinned: bool
    provider: str
    model: str
    system_prompt: str
    draft: str
    uid: str = ""  # stable across export and import; the duplicate check uses it
    generation: str = ""  # JSON of the generation settings it overrides ('' = none)


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: str
    content: str
    state: MessageState
    error: str
    usage: str
    created_at: float
    updated_at: float
    failure: Failure | None = None  # why it failed, as a kind; None before schema 6
    parent_id: int | None = None  # the message it answers or follows (None: the first)
    reasoning: str = ""  # the model's thinking, kept apart from the answer; never sent back
    reasoning_ms: int = 0  # how long it thought, in milliseconds; 0: not known
    tool_calls: str = ""  # an assistant turn's calls, OpenAI's `tool_calls` as JSON
    tool_call_id: str = ""  # a 'tool' message: the call it answers
    meta: str = ""  # JSON: a tool message's server, tool, arguments, timing, display parts

    @property
    def retryable(self) -> bool:
        """Whether Retry is offered: a state that allows it, and no error known to fail
        again the same way (a rejected message, a prompt over the model's context)."""
        return (self.role == "assistant" and self.state in RETRYABLE_STATES
                and (self.failure is None or self.failure.retryable))

    @property
    def continuable(self) -> bool:
        """Whether Continue is offered: some text to go on from, in a state that stopped."""
        return (self.role == "assistant" and bool(self.content)
                and self.state in CONTINUABLE_STATES)


def meta_part(message: Message, key: str) -> dict[str, Any]:
    """One feature's object in a message's `meta` (each keeps its own key there): {} when
    there is none or it cannot be read."""
    try:
        value = json.loads(message.meta) if message.meta else {}
    except ValueError:
        return {}
    part = value.get(key) if isinstance(value, dict) else None
    return part if isinstance(part, dict) else {}


def tool_info(message: Message) -> dict[str, Any]:
    """What `meta` says about a tool call or a turn that made some (its "tool" key)."""
    return meta_part(message, "tool")


def request_info(message: Message) -> dict[str, Any]:
    """What a reply was asked with (`meta`'s "request" key, chat/stream.py): the provider
    (`label`, `kind`), the `model`, and the generation `settings` sent ({}: none, the
    server's defaults). {} for replies from before it was kept."""
    return meta_part(message, "request")


MARK_START = "\x02"  # snippet highlight markers: control characters never found in chat text
MARK_END = "\x03"


@dataclass(frozen=True)
class SearchHit:
    message_id: int
    conversation_id: int
    title: str
    role: str
    snippet: str  # the hit's words between MARK_START and MARK_END
    rank: float  # lower is better (bm25)
    field: str = "content"  # where the snippet is from: "content" or "reasoning" (thinking)

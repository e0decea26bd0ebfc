"""Which messages of a conversation are sent, so the request fits the model's context.

The rule, per the user's `context_trim` setting:

- `fit` (the default): everything, unless the estimate (providers.tokens, corrected by
  the calibration ratio) plus room for the reply is over the context length; then the
  oldest turns go, one at a time, until it fits. The system prompt and the new message
  are never dropped, and what is kept never starts with an assistant turn (a reply
  without its question). If even those two do not fit, they are sent anyway and the
  server's own error says so.
- `last`: only the last N messages (the system prompt is kept besides).
- `off`: everything, always; an overflow is the server's error to show.

Tool definitions sent with the request (`fixed`) count on every plan and are never
dropped: a template writes them into the prompt as the messages.

Room for the reply is `max_tokens` when set (at most half the context), else a quarter
of the context, at most REPLY_ROOM_CAP tokens. Unknown context length: nothing dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from opchat_gui.providers.base import image_count
from opchat_gui.providers.tokens import (
    IMAGE_TOKENS,
    MESSAGE_OVERHEAD,
    REPLY_PRIMING,
    estimate_text,
)

MODES = ("fit", "last", "off")
REPLY_ROOM_CAP = 4096
REPLY_ROOM_SHARE = 4  # without max_tokens: a quarter of the context stays free


@dataclass(frozen=True)
class ContextPlan:
    """What is sent, as indexes into the messages given, and what that costs."""

    kept: tuple[int, ...]  # indexes of the messages sent, in order
    dropped: int  # how many messages (not the system prompt) were left out
    tokens: int  # the estimated prompt tokens of what is sent
    limit: int | None  # the context length, if known
    room: int  # tokens kept free for the reply
    has_system: bool = False  # the first message is a system prompt (always kept)

    @property
    def fits(self) -> bool:
        return self.limit is None or self.tokens + self.room <= self.limit

    @property
    def first_kept(self) -> int | None:
        """The index of the first non-system message sent (where the marker goes)."""
        turns = self.kept[1:] if self.has_system else self.kept
        return turns[0] if turns else None


def message_tokens(message: Mapping[str, Any]) -> int:
    """One message's estimated tokens as sent: its text (text parts of a multi-part
    content), IMAGE_TOKENS per image, plus the template's per-message overhead."""
    content = message.get("content")
    if isinstance(content, list):
        text = "".join(str(part.get("text") or "") for part in content
                       if isinstance(part, Mapping))
    else:
        text = content if isinstance(content, str) else ""
    return MESSAGE_OVERHEAD + estimate_text(text) + IMAGE_TOKENS * image_count(content)


def reply_room(limit: int, max_tokens: int | None) -> int:
    if max_tokens:
        return min(max_tokens, limit // 2)
    return min(limit // REPLY_ROOM_SHARE, REPLY_ROOM_CAP)


def plan(messages: Sequence[Mapping[str, Any]], *, limit: int | None,
         max_tokens: int | None = None, mode: str = "fit", last: int = 20,
         ratio: float = 1.0, fixed: int = 0) -> ContextPlan:
    """The plan for sending `messages` (the system prompt first if there is one, the new
    message last) to a model with `limit` tokens of context."""
    return plan_sized([str(m.get("role")) for m in messages],
                      [message_tokens(m) for m in messages], limit=limit,
                      max_tokens=max_tokens, mode=mode, last=last, ratio=ratio,
                      fixed=fixed)


def plan_sized(roles: Sequence[str], costs: Sequence[int], *, limit: int | None,
               max_tokens: int | None = None, mode: str = "fit", last: int = 20,
               ratio: float = 1.0, fixed: int = 0) -> ContextPlan:
    """`plan` from each message's role and estimated tokens (`message_tokens`), plus
    `fixed` tokens sent besides them (the tools)."""
    system = bool(roles) and roles[0] == "system"

    def total(indexes: Sequence[int]) -> int:
        return math.ceil((REPLY_PRIMING + fixed + sum(costs[i] for i in indexes)) * ratio)

    head = [0] if system else []
    turns = list(range(1 if system else 0, len(roles)))
    room = reply_room(limit, max_tokens) if limit else 0
    if mode == "last" and len(turns) > max(1, last):
        turns = _from_a_question(roles, turns[-max(1, last):])
    elif mode == "fit" and limit:
        budget = limit - room
        running = total(head + turns)
        start = 0
        while running > budget and start < len(turns) - 1:
            running -= math.ceil(costs[turns[start]] * ratio)
            start += 1
        turns = _from_a_question(roles, turns[start:])
    kept = tuple(head + turns)
    dropped = len(roles) - len(kept)
    return ContextPlan(kept, dropped, total(kept), limit or None, room, system)


def _from_a_question(roles: Sequence[str], turns: list[int]) -> list[int]:
    """`turns` without leading non-user messages (a reply whose question is gone); the
    last (the new message) always stays."""
    while len(turns) > 1 and roles[turns[0]] != "user":
        turns = turns[1:]
    return turns

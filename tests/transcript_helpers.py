"""A message value for transcript tests, built the way the store builds one."""

from __future__ import annotations

import time

from opchat_gui.core.messages import Message, MessageState


def msg(mid: int, role: str, content: str, state: MessageState = MessageState.DONE) -> Message:
    now = time.time()
    return Message(mid, 1, role, content, state, "", "", now, now)

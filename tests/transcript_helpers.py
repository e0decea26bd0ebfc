"""A message value for transcript tests, built the way the store builds one."""

from __future__ import annotations

import time

from opchat_gui.core.messages import Message, MessageState


def msg(mid: int, role: str, content: str, state: MessageState = MessageState.DONE) -> Message:
    now = time.time()
    return Message(mid, 1, role, content, state, "", "", now, now)


def image_names(view) -> list[str]:
    """The name of every image in the transcript's document, in order."""
    names = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names

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


def document_structure(document) -> list[tuple[str, object, object, list[tuple[str, object]]]]:
    """Every block of a document: its text, block format, block char format and runs of
    equal char format (QTextFormat's == compares every property; Qt may split a run where
    another edit would not, so equal neighbours are joined). Two ways of writing the same
    text are the same when these are equal."""
    blocks = []
    block = document.begin()
    while block.isValid():
        runs: list[tuple[str, object]] = []
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if runs and runs[-1][1] == fmt:
                runs[-1] = (runs[-1][0] + fragment.text(), fmt)
            else:
                runs.append((fragment.text(), fmt))
            it += 1
        blocks.append((block.text(), block.blockFormat(), block.charFormat(), runs))
        block = block.next()
    return blocks


def laid_out(view, strip: str = "") -> list[tuple[str, object, list[tuple[str, object]], float]]:
    """Each block of a transcript: its text, block format, runs (text and char format) and
    laid-out height; `strip`: characters left off the ends of texts, runs left empty
    dropped (what does not show: a trailing space, the spacer character)."""
    out = []
    block = view.document().begin()
    layout = view.document().documentLayout()
    while block.isValid():
        runs = []
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            text = fragment.text().rstrip(strip) if strip else fragment.text()
            if text or not strip:
                runs.append((text, fragment.charFormat()))
            it += 1
        text = block.text().rstrip(strip) if strip else block.text()
        out.append((text, block.blockFormat(), runs, layout.blockBoundingRect(block).height()))
        block = block.next()
    return out

"""Whether the open block of a streaming reply is shown formatted.

A reply's finished blocks are rendered once; the block still being written used to
show as plain text until it ended, so `**`, `##` and `-` flashed raw. Now the open
block is rendered as if it ended here (render/partial.py closes what it left open)
and replaced on each update. That costs one render of the open block per update, so
it is bounded by OPEN_BLOCK_CHARS and does not grow with the reply. A block with a
formula stays plain text (typesetting is per finished block). An open code fence is shown
as a code block from the moment its fence line is whole (`open_fence`): the header with
its language, then its lines appended plain on the code background as they come
(highlighting them per update would cost more and show nothing new), so its backticks
never show; a last line that may yet be the closing fence waits, and so does a fence's
first line until it is whole (`without_fence_line`).

Rendering the open block again costs up to a few milliseconds a frame (markdown-it, the
HTML inserted, its layout), most of the window's cost per update. So when a chunk is
words that would render as just those words at the end (`appends_as_text`), it is
inserted there in the format the end already has, and the block is rendered again only
when something that may change its look arrives (a marker, a newline, a link).
"""

from __future__ import annotations

import re

from opchat_gui.render.simple_blocks import plain_words
from opchat_gui.render.stream_blocks import FENCE, BlockSplitter

OPEN_BLOCK_CHARS = 3_000  # a longer open block shows as plain text until it ends
MATH_MARKS = ("$", "\\(", "\\[")
# Words, spaces and sentence punctuation: no Markdown marker, newline, link or entity.
PLAIN_WORDS = re.compile(r"(?:[^\W_]|[ ,.;:!?'\"()-])+")
SENTENCE_MARKS = ",.;:!?'\"()-"
# A line whose kind its first characters already settled (a paragraph that starts with a
# letter, a list item, heading or quote with words): words added cannot change it.
SETTLED_LINE = re.compile(r" {0,3}(?:(?:[-+*>]|#{1,6}|\d{1,9}[.)]) +\S|[^\W\d_])")
WORD_EDGES = "\"'(),.;:!?-"
# An unfinished last line of an open fence that may still become its closing fence.
MAYBE_CLOSING = re.compile(r" {0,3}(?:`+|~+)?")


def open_fence(pending: str) -> tuple[str, int, int]:
    """For the open block of a splitter inside a fence: the fence's language, where its
    code starts in `pending` and where the code that can show ends (before a last,
    unfinished line that may become the closing fence). What shows only grows as
    `pending` grows: a line that stops looking like a fence never looks like one again."""
    start = len(pending) - len(pending.lstrip("\n \t"))
    start = pending.rfind("\n", 0, start) + 1  # the fence line (blank lines before it)
    end = pending.index("\n", start)
    line = pending[start:end]
    marker = FENCE.match(line)
    info = line[marker.end():].strip() if marker else ""
    language = info.split(maxsplit=1)[0] if info else ""
    last = pending.rfind("\n") + 1
    shown = last if MAYBE_CLOSING.fullmatch(pending, max(last, end + 1)) else len(pending)
    return language, end + 1, max(shown, end + 1)


def without_fence_line(pending: str) -> str:
    """The open block as it shows: without a last line that is a fence's first line still
    being written (`` ```py ``), which shows nothing until it is whole and the fence shows
    as code (`open_fence`). Rendered with it, the open block came out as without it, after
    a Markdown render and an HTML insert: a paragraph before it could not take the cheap
    path (`plain_paragraph`) on the updates that ended there."""
    start = pending.rfind("\n") + 1
    return pending if FENCE.match(pending, start) is None else pending[:start]


def shows_formatted(splitter: BlockSplitter) -> bool:
    pending = splitter.pending
    return (bool(pending.strip()) and not splitter.in_fence
            and len(pending) <= OPEN_BLOCK_CHARS
            and not any(mark in pending for mark in MATH_MARKS))


def appends_as_text(pending: str, shown: int) -> bool:
    """Whether the open block `pending`, whose first `shown` characters are on screen
    formatted, shows right with the rest inserted at its end in the end's format: the
    same as rendering it again (emphasis and code spans left open are closed at the end,
    so the end's format is the one new words take).

    Not when the rest holds anything but words, single spaces and sentence punctuation;
    when what was shown ends in a marker (`foo **` shows as `foo`); when the last line's
    kind is not settled (`1` may become `1. `); when the block holds a table (its end is
    below the table) or the last line a link; or when a word it adds to or brings is not
    a plain word (`main.py` or `a@b.c` may become a link)."""
    if shown <= 0 or shown >= len(pending) or not PLAIN_WORDS.fullmatch(pending, shown):
        return False
    last = pending[shown - 1]
    if not (last.isalnum() or last in SENTENCE_MARKS) or "  " in pending[shown - 1:]:
        return False
    if "|" in pending:
        return False
    start = pending.rfind("\n") + 1
    line = pending[start:]
    if "[" in line or "<" in line or not SETTLED_LINE.match(pending, start, shown):
        return False  # (settled already in what was shown: `1.` + ` a` is a new list)
    joined = max(pending.rfind(" ", 0, shown), start - 1) + 1  # the word the text joins
    for word in pending[joined:].split():
        word = word.strip(WORD_EDGES).replace("'", "").replace("-", "")
        if word and not word.isalnum():
            return False
    return True


def plain_paragraph(pending: str) -> str | None:
    """The text the open block shows when it is one paragraph of plain words (what
    rendering it would show, whitespace collapsed as the HTML importer does), or None
    when it needs the Markdown renderer (render/simple_blocks.plain_words says which
    lines cannot mean more than their words). Rendering it cost the parser and the HTML
    importer on every update; most of a reply's open blocks are such paragraphs."""
    text = pending.strip("\n").rstrip()  # (blank lines around a block are no part of it)
    if not text or not all(plain_words(line) for line in text.split("\n")):
        return None
    return " ".join(text.split())

"""Close what a reply cut short left open, so it renders as if it had ended there.

A stopped, interrupted or failed reply ends wherever the stream stopped: often inside
`**bold`, `` `code``, `[a link](http://exa` or a table whose delimiter row is half
written. Rendered as it is, those markers would show raw. Only the last block can be
open (the ones before it ended), so only it is mended: unclosed emphasis, strike-through
and code spans are closed, an opener with nothing after it is dropped, a link whose
address is cut becomes its label, a table gets its delimiter row, and an open code
fence is closed (or dropped, when nothing of the code came yet).

The delimiter rules follow CommonMark's flanking rules, simplified: a run only opens
when it clearly opens (`2*3` and `snake_case` stay as they are).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from opchat_gui.render.stream_blocks import FENCE

BLOCK_START = re.compile(r" {0,3}(#{1,6}(\s|$)|[-+*]\s|\d{1,9}[.)]\s|>|\|)")
CUT_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^)\n]*$")
DELIMITER_ROW = re.compile(r"\s*\|?[\s:|-]*$")
EMPHASIS = "*_~"


@dataclass
class _Opener:
    char: str
    length: int
    at: int  # offset of the run in the text being mended


def close_partial(text: str) -> str:
    """`text` with its last block's open Markdown closed (see the module docstring)."""
    text = text.rstrip()
    lines = text.split("\n")
    fence: str | None = None
    fence_line = block = 0
    for number, line in enumerate(lines):
        marker = FENCE.match(line)
        if fence is not None:
            if (marker and marker.group(1)[0] == fence[0]
                    and len(marker.group(1)) >= len(fence) and not line[marker.end():].strip()):
                fence, block = None, number + 1
            continue
        if marker and (marker.group(1)[0] == "~" or "`" not in line[marker.end():]):
            fence, fence_line, block = marker.group(1), number, number + 1
        elif not line.strip():
            block = number + 1
        elif BLOCK_START.match(line) and not (number and line.lstrip().startswith("|")
                                              and lines[number - 1].lstrip().startswith("|")):
            block = number
    if fence is not None:
        if fence_line == len(lines) - 1:  # only the opening line came: nothing to show
            return "\n".join(lines[:fence_line]).rstrip()
        if lines[-1].strip() and not lines[-1].strip().strip(fence[0]):
            lines.pop()  # the closing fence, cut short
        return "\n".join(lines) + "\n" + fence
    head = "\n".join(lines[:block])
    tail = "\n".join(lines[block:])
    return ((head + "\n" if head else "") + _close_table(_close_inline(tail))).rstrip()


def _close_table(tail: str) -> str:
    """A table cut in its header or delimiter row gets a whole delimiter row."""
    rows = tail.split("\n")
    if not rows[0].lstrip().startswith("|") or len(rows) > 2:
        return tail
    if len(rows) == 2 and not DELIMITER_ROW.match(rows[1]):
        return tail
    header = rows[0].strip().strip("|")
    if not header.strip():
        return ""  # a table's first pipe and nothing else yet
    cells = len(header.split("|"))
    return f"{rows[0].rstrip()}{'' if rows[0].rstrip().endswith('|') else ' |'}\n" + \
        "|---" * cells + "|"


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _close_inline(tail: str) -> str:
    link = CUT_LINK.search(tail)
    if link:  # the address is cut: keep the label as text
        tail = tail[:link.start()] + link.group(1)
    openers: list[_Opener] = []
    code: _Opener | None = None
    index = 0
    while index < len(tail):
        char = tail[index]
        if char == "\\":
            index += 2
            continue
        if char not in "`" + EMPHASIS:
            index += 1
            continue
        end = index
        while end < len(tail) and tail[end] == char:
            end += 1
        run = end - index
        if char == "`":
            if code is None:
                code = _Opener(char, run, index)
            elif code.length == run:
                code = None
        elif code is None and (char != "~" or run == 2):
            _delimiter(tail, index, end, openers)
        index = end
    closers: list[_Opener] = ([code] if code is not None else []) + openers[::-1]
    for opener in closers:
        tail = tail.rstrip()
        if not tail[opener.at + opener.length:].strip():  # nothing after it: drop it
            tail = tail[:opener.at]
        else:
            tail += opener.char * opener.length
    return tail.rstrip()


def _delimiter(text: str, start: int, end: int, openers: list[_Opener]) -> None:
    """Match a run of *, _ or ~~ against the open ones, or open one (CommonMark's rules)."""
    char = text[start]
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
    right = not before.isspace() and (not _is_punct(before) or after.isspace()
                                      or _is_punct(after))
    if end == len(text):  # cut right after the run: it may well be an opener
        left = before.isspace() or _is_punct(before)
    if char == "_":
        can_open = left and (not right or _is_punct(before))
        can_close = right and (not left or _is_punct(after))
    else:
        can_open, can_close = left, right
    run = end - start
    if can_close:
        while run and any(o.char == char for o in openers):
            while openers[-1].char != char:
                openers.pop()  # an opener inside the match that never closed stays literal
            used = min(run, openers[-1].length)
            run -= used
            openers[-1].length -= used
            if not openers[-1].length:
                openers.pop()
    if run and can_open and not (can_close and run == end - start):
        openers.append(_Opener(char, run, end - run))

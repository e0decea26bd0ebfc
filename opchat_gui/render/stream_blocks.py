"""Where finished Markdown blocks end in a reply that is still growing.

A block is finished when a closing code fence ends, when a display formula that
opened a block (`$$` or `\\[` at its start) closes, or when a blank line is followed
by a line that starts in column 0 outside a fence (a new paragraph, heading, list,
table or fence). So a display formula renders as soon as its closing delimiter comes;
an inline one renders with its paragraph, and until then its source shows.
Each line is examined once, and only the unfinished tail is kept,
so the cost of a chunk does not grow with the length of the reply.
"""

from __future__ import annotations

import re

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
MATH_OPEN = re.compile(r" {0,3}(\$\$|\\\[)")
BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")


class BlockSplitter:
    def __init__(self) -> None:
        self.pending = ""  # text after the last finished block
        self._scanned = 0  # offset in pending up to which whole lines were examined
        self._fence: str | None = None  # the opening fence marker while inside one
        self._blank_before = False
        self._has_content = False  # pending holds a non-blank line before _scanned
        self._math: str | None = None  # the closing delimiter while in a display formula
        self.cuts: list[int] = []  # where the blocks the last feed finished end, in order

    @property
    def in_fence(self) -> bool:
        return self._fence is not None

    def feed(self, text: str) -> str:
        """Add text; return the finished blocks it completed ("" if none)."""
        self.pending += text
        cut = 0
        self.cuts = []
        while True:
            end = self.pending.find("\n", self._scanned)
            if end < 0:
                break
            line = self.pending[self._scanned:end]
            start = self._scanned
            self._scanned = end + 1
            at = self._line(line, start, end + 1)
            if at:
                cut = at
                self.cuts.append(at)
        if not cut:
            return ""
        done, self.pending = self.pending[:cut], self.pending[cut:]
        self._scanned -= cut
        self._has_content = bool(self.pending[:self._scanned].strip())
        return done

    def finish(self) -> str:
        """The rest, when the stream ends."""
        rest, self.pending = self.pending, ""
        self.cuts = [len(rest)]
        self._scanned, self._fence, self._math = 0, None, None
        self._blank_before = self._has_content = False
        return rest

    def _line(self, line: str, start: int, after: int) -> int:
        """Examine one whole line; return an offset to cut at, or 0."""
        if self._fence is not None:
            marker = FENCE.match(line)
            if (marker and marker.group(1)[0] == self._fence[0]
                    and len(marker.group(1)) >= len(self._fence)
                    and not line[marker.end():].strip()):
                self._fence = None
                self._blank_before = False
                self._has_content = False
                return after  # the fence closed: everything up to here is final
            return 0
        if self._math is not None:
            if not line.strip():  # no blank lines in math: it was not a formula
                self._math = None
            elif line.rstrip().endswith(self._math):
                self._math = None
                self._blank_before = self._has_content = False
                return after  # the formula closed: it renders now
            else:
                return 0
        if not line.strip():
            self._blank_before = self._has_content
            return 0
        cut = 0
        opening = MATH_OPEN.match(line)
        if opening and (self._blank_before or not self._has_content):
            closing = "$$" if opening.group(1) == "$$" else "\\]"
            rest = line.strip()[2:]
            if rest.rstrip().endswith(closing):  # one line: $$x$$
                self._blank_before = self._has_content = False
                return after
            self._math = closing
            cut = start if self._has_content else 0
            self._blank_before = False
            self._has_content = True
            return cut
        marker = FENCE.match(line)
        if marker and (marker.group(1)[0] == "~" or "`" not in line[marker.end():]):
            self._fence = marker.group(1)
            if self._has_content:
                cut = start
        elif self._blank_before and not line[0].isspace():
            cut = start
        self._blank_before = False
        self._has_content = True
        return cut


def one_fence_each(done: str, cuts: list[int]) -> list[str]:
    """What one feed finished (`done`, its blocks ending at `cuts`) in runs of blocks
    that hold one code fence at most, as they would have come had the stream been
    slower. A run with one fence is written without the HTML importer
    (ui/transcript/code_block.direct_blocks); two in one insertion are not."""
    runs: list[str] = []
    begin, start, fenced = 0, 0, False
    for end in cuts:
        blank = BLANK_LINES.match(done, start)  # (it always matches: maybe nothing)
        if FENCE.match(done, blank.end() if blank else start):  # a fence's block
            if fenced:
                runs.append(done[begin:start])
                begin = start
            fenced = True
        start = end
    runs.append(done[begin:])
    return runs

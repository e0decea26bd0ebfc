"""A big reply rendered in pieces, each asked for when there is time for it.

Why: a reply of a megabyte of code, 10,000 lines of output or a 300-row table took one
piece of work of 0.1-0.9 s to render and insert (benchmarks/b6_big_content.py): Markdown
parsing, highlighting and Qt's insertion all grow with it. A reply longer than
a threshold is cut here into pieces of about PIECE_CHARS of source, and each
piece is parsed and highlighted only when the view asks for the next one
(ui/transcript/slicing.py; the threshold is ui/transcript/text.py's SLICED_CHARS).

Where it is cut:
- between Markdown blocks, where a blank line is followed by a line in column 0 outside
  a fence (as a streamed reply is cut, render/stream_blocks.py);
- a table too big for a table (render/big_tables.py) longer than a piece: its rows are
  read and its grid's lines made a batch per piece, then the grid goes out as one object;
- inside a fenced block longer than a piece, between lines: its first piece holds the
  block's frame (language, Copy) and first lines, each later piece more lines of the same
  block (`more_code`). Its highlighting is one token stream pulled a piece at a time
  (render/highlight.py).
- a run of PIECE_CHARS * 4 with no block boundary is cut at a line (a paragraph that
  long becomes two).
What differs from rendering it whole: a reference link or footnote defined in another
piece shows as written, and a list cut between two pieces becomes two lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from opchat_gui.render.big_tables import DELIMITER, MAX_CELLS, cells
from opchat_gui.render.colours import TranscriptColours
from opchat_gui.render.highlight import highlight_slices, highlights
from opchat_gui.render.markdown import (
    big_table_html,
    code_header_html,
    code_pre_html,
    render_markdown,
)
from opchat_gui.render.math import MathHtml
from opchat_gui.render.stream_blocks import FENCE

# Characters of source per piece, each about a screenful and 3-10 ms of work here:
PIECE_CHARS = 2_000  # Markdown (markdown-it parses ~0.3 MB/s on this machine)
CODE_PIECE_CHARS = 4_000  # code shown plain, and big tables' grids
HIGHLIGHT_PIECE_CHARS = 1_000  # code pygments colours (it lexes ~0.15 MB/s)
HARD_CUT = 4  # pieces' worth of text with no block boundary: cut at a line anyway


@dataclass
class Piece:
    html: str  # "": work was done (a big table's rows read), nothing to show yet
    tables: list[tuple[str, str]] = field(default_factory=list)  # its wide tables
    more_code: bool = False  # further lines of the code block the pieces before began
    last: bool = True  # the last piece of its code block (or not code)
    plain: bool = False  # `html` is plain text, its lines cut already (plain_pieces)


def normalised(text: str) -> str:
    """Line ends as markdown-it makes them, so offsets here are the renderer's."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def pieces(text: str, colours: TranscriptColours, *, message_id: int, codes: list[str],
           copy_label: str = "Copy", partial: bool = False, math: MathHtml | None = None,
           size: int = PIECE_CHARS) -> Iterator[Piece]:
    """The text's pieces, first first. Code blocks are numbered from len(codes) when their
    piece is made, and appended to `codes` then (the caller's list for Copy links)."""
    text = normalised(text)
    units = _units(text, size)
    unit = next(units, None)
    while unit is not None:
        following = next(units, None)
        if unit[0] == "markdown":
            rendered = render_markdown(unit[1], colours, message_id=message_id,
                                       code_base=len(codes), copy_label=copy_label,
                                       partial=partial and following is None, math=math)
            codes.extend(rendered.codes)
            if rendered.html.strip():
                yield Piece(_ending(rendered.html, following is None), rendered.tables)
        else:
            env: dict[str, Any] = {"colours": colours, "codes": codes, "code_base": 0,
                                   "message_id": message_id, "copy_label": copy_label,
                                   "tables": []}
            made = (_code_pieces(unit[1], unit[2], env, size) if unit[0] == "code"
                    else _table_pieces(unit[1], env, size))
            for piece in made:
                if piece.html:
                    piece.html = _ending(piece.html, following is None and piece.last)
                yield piece
        unit = following


def plain_pieces(text: str, line_chars: int, size: int = CODE_PIECE_CHARS
                 ) -> Iterator[Piece]:
    """Text shown plain (a reply with a line too long for Markdown), in pieces of about
    `size`: each piece's lines are at most `line_chars` long (a longer line is cut, as
    the transcript cuts it), and each piece starts a new line of the document."""
    units: list[str] = []
    length = 0
    for line in text.split("\n"):
        for start in range(0, max(1, len(line)), line_chars):
            units.append(line[start:start + line_chars])
            length += len(units[-1]) + 1
            if length >= size:
                yield Piece("\n".join(units), plain=True)
                units, length = [], 0
    if units:
        yield Piece("\n".join(units), plain=True)


def _ending(html: str, last: bool) -> str:
    """Only the reply's last piece ends with a newline, as the whole reply's HTML does
    (Qt turns the newline at the end of inserted HTML into a space)."""
    return html.rstrip("\n") + ("\n" if last else "")


def _code_pieces(code: str, language: str, env: dict[str, Any], size: int
                 ) -> Iterator[Piece]:
    """A code block in pieces of whole lines; the first one with its frame (which adds
    the code to env["codes"], for its Copy link)."""
    colours: TranscriptColours = env["colours"]
    header = code_header_html(code, language, env)
    length = len(code)  # without its last newlines (code.rstrip would copy a megabyte)
    while length and code[length - 1] == "\n":
        length -= 1
    size = size * HIGHLIGHT_PIECE_CHARS // PIECE_CHARS if highlights(length, language) \
        else size * CODE_PIECE_CHARS // PIECE_CHARS
    ends: list[int] = []
    start = 0
    while start + size < length:
        end = code.find("\n", start + size, length)
        if end < 0:
            break
        ends.append(end)
        start = end + 1
    ends.append(length)
    for number, lines in enumerate(highlight_slices(code, language, colours.pygments_style,
                                                    ends)):
        last = number == len(ends) - 1
        pre = code_pre_html(lines, colours, last=last)
        yield Piece(pre, more_code=True, last=last) if number else Piece(header + pre, last=last)


def _table_pieces(source: str, env: dict[str, Any], size: int) -> Iterator[Piece]:
    """A table too big for a table as big_tables.grid's aligned grid: its rows are read a
    batch per piece and its lines made a batch per piece (nothing to show meanwhile: the
    columns' widths need every row), then the grid goes out whole as one object that
    scrolls sideways (render/big_tables.py), its frame and Copy link above it."""
    lines = source.rstrip("\n").split("\n")
    header = cells(lines[0])
    count = len(header)
    rows = [header]
    widths = [len(cell) for cell in header]
    size = size * CODE_PIECE_CHARS // PIECE_CHARS
    batch = max(1, size // max(1, len(lines[0])))
    for number, line in enumerate(lines[2:], start=1):
        row = cells(line)[:count]
        row += [""] * (count - len(row))
        rows.append(row)
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
        if number % batch == 0:
            yield Piece("")
    per_piece = max(1, size // max(1, sum(widths) + 3 * count))
    made = [_grid_line(rows[0], widths), "-+-".join("-" * width for width in widths)]
    for start in range(1, len(rows), per_piece):
        made.extend(_grid_line(row, widths) for row in rows[start:start + per_piece])
        yield Piece("")
    yield Piece(big_table_html("\n".join(made) + "\n", source.strip(), env),
                tables=env["tables"])


def _grid_line(row: list[str], widths: list[int]) -> str:
    return " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                      ).rstrip()


Unit = tuple[str, str, str]  # ("markdown" or "table", source, ""), ("code", code, language)


def _units(text: str, size: int) -> Iterator[Unit]:
    """The text cut into Markdown runs of about `size` and big code blocks, lazily."""
    start = pos = 0  # the Markdown run being gathered begins at start
    blank_before = has_content = False
    end_of_text = len(text)
    while pos < end_of_text:
        newline = text.find("\n", pos)
        line_end = end_of_text if newline < 0 else newline
        line = text[pos:line_end]
        after = line_end + 1
        if not line.strip():
            blank_before = has_content
            pos = after
            continue
        boundary = blank_before and not line[0].isspace()
        big = _big_block(text, pos, line, after, size)
        if big is not None:
            stop, unit = big
            if text[start:pos].strip():
                yield ("markdown", text[start:pos], "")
            yield unit
            start = pos = stop
            blank_before = has_content = False
            continue
        if pos - start >= size and (boundary or pos - start >= size * HARD_CUT):
            yield ("markdown", text[start:pos], "")
            start = pos
        marker = FENCE.match(line)
        if marker and (marker.group(1)[0] == "~" or "`" not in line[marker.end():]):
            pos = _fence_end(text, marker.group(1), after)[1]  # a small fence: one unit
        else:
            pos = after
        blank_before, has_content = False, True
    if text[start:].strip():
        yield ("markdown", text[start:], "")


def _big_block(text: str, pos: int, line: str, after: int, size: int
               ) -> tuple[int, Unit] | None:
    """(where it ends, its unit) if a fence longer than `size`, or a table too big for a
    table and longer than `size`, starts at this line; else None."""
    marker = FENCE.match(line)
    if marker and (marker.group(1)[0] == "~" or "`" not in line[marker.end():]):
        close, stop = _fence_end(text, marker.group(1), after)
        if stop - pos <= size:
            return None
        info = line[marker.end():].strip()
        code = text[after:close] if close > after else ""
        indent = len(line) - len(line.lstrip(" "))
        if indent:  # the opener's indent comes off each line, as CommonMark says
            code = re.sub(rf"(?m)^ {{1,{indent}}}", "", code)
        return stop, ("code", code, info.split(maxsplit=1)[0] if info else "")
    if "|" not in line or line[0].isspace():
        return None
    newline = text.find("\n", after)
    delimiter = text[after:newline if newline >= 0 else len(text)]
    header = cells(line)
    if not DELIMITER.match(delimiter) or len(cells(delimiter)) != len(header):
        return None
    rows = 1  # (the header; the cells are read later, a batch per piece)
    stop = len(text) if newline < 0 else newline + 1
    while stop < len(text):
        newline = text.find("\n", stop)
        row_end = len(text) if newline < 0 else newline
        row = text[stop:row_end]
        if not row.strip() or "|" not in row or row.startswith("    "):
            break
        rows += 1
        stop = row_end + 1
    stop = min(stop, len(text))
    if stop - pos <= size or rows * len(header) <= MAX_CELLS:
        return None
    return stop, ("table", text[pos:stop], "")


def _fence_end(text: str, opener: str, after: int) -> tuple[int, int]:
    """(where the fence's code ends, where the fence ends) for a fence opened by `opener`
    whose code starts at `after`: its closing line, or the end of the text. (str.find
    over the code, not a regular expression: a megabyte took a regex 10-20 ms.)"""
    mark = opener[0] * 3
    at = after
    while True:
        at = text.find(mark, at)
        if at < 0:
            return len(text), len(text)
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        line = text[start:end]
        marker = line.lstrip(" ").rstrip(" \t")
        if (start >= after and len(line) - len(line.lstrip(" ")) <= 3
                and len(marker) >= len(opener) and marker == opener[0] * len(marker)):
            return start, min(end + 1, len(text))
        at = end

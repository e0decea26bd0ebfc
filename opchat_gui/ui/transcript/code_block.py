"""A finished fenced code block written straight into the document, without HTML.

A streaming reply renders each code block as it closes: building its highlighted HTML
and having Qt's importer parse it back cost about as much as highlighting it (B1,
issue 18). Here the pygments tokens are written as text runs, each in the char format
the importer gives that token's span, learnt once per theme and token type by importing
the span itself; the header, the lines' block formats and what the importer leaves after
the block are learnt the same way from one rendered block. So the document comes out as
the HTML path makes it (tests compare both, block by block and run by run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from PySide6.QtGui import (
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from opchat_gui.render.bidi import has_controls
from opchat_gui.render.colours import TranscriptColours
from opchat_gui.render.simple_blocks import Fence, Paragraph, simple_blocks
from opchat_gui.ui.transcript.text import SPACER, SPACER_CHAR, begin_block

if TYPE_CHECKING:
    from opchat_gui.render.highlight import Tokens


@dataclass(frozen=True)
class _Shape:
    """How the importer shapes a code block. Its quirks (they look the same): text
    outside the spans carries the code background until the block's first span has
    closed, and not after (`plain`: before, after); a line's own char format is that of
    the last text before it (`line_char` for the first line)."""

    spacer: QTextCharFormat
    header: QTextBlockFormat
    header_char: QTextCharFormat  # the header block's own char format
    label: QTextCharFormat
    gap: QTextCharFormat
    copy: QTextCharFormat  # with the sample's link: each block sets its own
    line: QTextBlockFormat
    last: QTextBlockFormat  # the last line: the gap below the block
    line_char: QTextCharFormat
    plain: tuple[QTextCharFormat, QTextCharFormat]  # code text outside any span
    after: str  # what the importer leaves after the last line, in `after_format`
    after_format: QTextCharFormat


def direct_blocks(text: str) -> list[Paragraph | Fence] | None:
    """The text's blocks when they are only plain paragraphs and fenced code that
    MessageWriter.markdown writes as the HTML path would (`write_code_block`,
    MessageWriter.paragraph); else None (the renderer's business)."""
    if "\r" in text or "\0" in text or has_controls(text):
        return None  # (the renderer's own cases: carriage returns, bidi markers)
    blocks = simple_blocks(text)
    if not blocks or sum(isinstance(block, Fence) for block in blocks) > 1:
        return None  # (the importer's state runs from one code block into the next)
    for block in blocks:
        if isinstance(block, Fence) and (not block.code.strip()
                                         or block.code.startswith("\n")):
            return None  # (the importer shapes an empty or blank-first block its own way)
    return blocks


def lone_fence(text: str) -> Fence | None:
    """The text's one fenced code block, when it is nothing else; else None."""
    blocks = direct_blocks(text)
    return blocks[0] if blocks and len(blocks) == 1 and isinstance(blocks[0], Fence) \
        else None


def _imported(html: str) -> QTextDocument:
    """`html` as MessageWriter.markdown inserts it, in a document of its own."""
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    cursor.insertHtml(SPACER + html)
    return document


def _runs(block: QTextBlock) -> list[tuple[str, QTextCharFormat]]:
    runs = []
    it = block.begin()
    while not it.atEnd():
        runs.append((it.fragment().text(), it.fragment().charFormat()))
        it += 1
    return runs


@lru_cache(maxsize=4)
def _shape(colours: TranscriptColours) -> _Shape:
    from opchat_gui.render.markdown import code_header_html, code_pre_html

    env = {"colours": colours, "codes": [], "code_base": 0, "message_id": 0,
           "copy_label": "Copy"}
    span = '<span style="color: #ff0000">x</span>'
    document = _imported(code_header_html("", "zz", env)
                         + code_pre_html(f"a\n{span}b\nc\n{span}", colours))
    spacer, header = document.findBlockByNumber(1), document.findBlockByNumber(2)
    first = header.next()
    second = first.next()
    third = second.next()
    last = third.next()
    header_runs, first_runs, third_runs, last_runs = (
        _runs(header), _runs(first), _runs(third), _runs(last))
    if ([text for text, _ in header_runs] != ["zz", "\u00a0" * 3, "Copy"]
            or spacer.text() != SPACER_CHAR or [first.text(), second.text(), third.text()]
            != ["a", "xb", "c"] or len(last_runs) != 2 or last.next().isValid()
            or first.blockFormat() != third.blockFormat()):
        raise RuntimeError("the renderer's code block changed shape")  # (tests catch it)
    return _Shape(spacer.begin().fragment().charFormat(), header.blockFormat(),
                  header.charFormat(), header_runs[0][1], header_runs[1][1],
                  header_runs[2][1], first.blockFormat(), last.blockFormat(),
                  first.charFormat(),
                  (first_runs[0][1], third_runs[0][1]), last_runs[1][0], last_runs[1][1])


@cache
def _token_format(colours: TranscriptColours, kind: object) -> QTextCharFormat | None:
    """The char format the importer gives a token of this type in a code block; None
    for a token written without a span (it takes `_Shape.plain`)."""
    from opchat_gui.render.highlight import token_html
    from opchat_gui.render.markdown import code_pre_html

    html = token_html(kind, "a", colours.pygments_style)
    if not html.startswith("<span"):
        return None
    document = _imported(code_pre_html(html, colours))  # (kept: its blocks need it)
    return _runs(document.findBlockByNumber(2))[0][1]


@cache
def _highlighter() -> Callable[[str, str], Tokens | None]:
    """render.highlight.highlight_tokens, imported on first use (pygments costs start-up)
    and kept: an import statement in the writer ran the import machinery each block."""
    from opchat_gui.render.highlight import highlight_tokens
    return highlight_tokens


@lru_cache(maxsize=4)
def _token_formats(colours: TranscriptColours) -> dict[object, QTextCharFormat | None]:
    """`_token_format` by token type, filled as types come: one look-up of the colours a
    block (a dataclass of two dozen colours, hashed each time it is a key), not one a
    token."""
    return {}


def write_header(cursor: QTextCursor, language: str, colours: TranscriptColours, href: str,
                 copy_label: str, *, spacer: bool = True, fold: bool = False) -> None:
    """A code block's header line (its language and Copy link) as the HTML path writes
    it, `spacer` first (a block that begins an insertion; `fold`: text.begin_block): a
    finished block's, or a fence's still streaming."""
    shape = _shape(colours)
    begin_block(cursor, shape.spacer, shape.header, shape.header_char, spacer=spacer,
                fold=fold)
    cursor.insertText(language or "text", shape.label)
    cursor.insertText("\u00a0" * 3, shape.gap)
    link = QTextCharFormat(shape.copy)
    link.setAnchorHref(href)
    cursor.insertText(copy_label, link)


def write_code_block(cursor: QTextCursor, code: str, language: str,
                     colours: TranscriptColours, href: str, copy_label: str, *,
                     spacer: bool = True, last: bool = True, fold: bool = False) -> None:
    """The block `render/markdown.code_block_html(code, language)` would insert, at the
    cursor, as MessageWriter.markdown inserts rendered HTML: `spacer`, it begins the
    insertion (`fold`: text.begin_block); `last`, it ends it (what the importer leaves
    after it follows)."""
    shape = _shape(colours)
    write_header(cursor, language, colours, href, copy_label, spacer=spacer, fold=fold)
    code = code.rstrip("\n")
    tokens = _highlighter()(code, language)
    runs: list[list[tuple[str, QTextCharFormat]]] = [[]]
    current = shape.line_char  # a new line's own format: the last text's before it
    line_chars = [current]
    spanned = 0  # 1 once a span has closed (see _Shape)
    formats = _token_formats(colours)
    for kind, value in ((None, code),) if tokens is None else tokens:
        if tokens is None:
            fmt = None
        elif kind in formats:
            fmt = formats[kind]
        else:
            fmt = formats[kind] = _token_format(colours, kind)
        for part, piece in enumerate(value.split("\n")):
            if part:
                runs.append([])
                line_chars.append(current)
            if piece:
                current = shape.plain[spanned] if fmt is None else fmt
                line = runs[-1]
                if line and line[-1][1] is current:  # one run: one insertion, not two
                    line[-1] = (line[-1][0] + piece, current)
                else:
                    line.append((piece, current))
        spanned = spanned or int(fmt is not None and bool(value))
    while len(runs) > 1 and not runs[-1]:
        runs.pop()  # (a lexer may end the code with a newline of its own)
    for number, line_runs in enumerate(runs):
        cursor.insertBlock(shape.last if number == len(runs) - 1 else shape.line,
                           line_chars[number])
        for text, fmt in line_runs:
            cursor.insertText(text, fmt)
    if last:
        cursor.insertText(shape.after, shape.after_format)

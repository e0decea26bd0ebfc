"""Text pieces of the transcript: formats, time stamps, plain text cut for Qt's layout,
and the Markdown renderer loaded on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QLocale
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from opchat_gui.render.colours import TranscriptColours
from opchat_gui.ui import theme as themes

if TYPE_CHECKING:
    from opchat_gui.render.markdown import Rendered
    from opchat_gui.render.slices import Piece

# A one-pixel spacer line heads each HTML insertion: QTextCursor.insertHtml merges the
# first inserted block into the current one and drops its block format (heading,
# code background). The spacer takes that loss instead.
SPACER_CHAR = "\u200b"  # the text of the spacer line a rendered insertion begins with
SPACER = f"<p style=\"font-size: 1px; margin: 0;\">{SPACER_CHAR}</p>"
STREAM_LINE_CHARS = 4_000  # a longer unfinished line is shown in pieces while streaming
HUGE_LINE_CHARS = 20_000  # a reply with a longer line is shown as plain text
SLICED_CHARS = 20_000  # a longer reply is rendered and written in pieces (slicing.py)


def drop_spacer(document: QTextDocument, position: int) -> None:
    """Fold the spacer line heading a streamed insertion at `position` (SPACER, in a block
    of its own) into the block after it, keeping that block's formats. Between two
    streamed blocks it kept their margins from collapsing, so each finished block sat
    14 px lower than its open rendering (one render, margins collapsed) and than the
    reply opened again (its spacers join the header line). A table after it keeps it:
    its cells are another frame, which a paragraph separator does not begin."""
    if document.characterAt(position) != SPACER_CHAR:
        return  # (no spacer there: one call, as a streamed update asks twice)
    block = document.findBlock(position)
    after = block.next()
    if (block.position() != position or block.text() != SPACER_CHAR or not after.isValid()
            or document.characterAt(position + 1) != "\u2029"):  # (not a frame's edge)
        return
    fmt, char = after.blockFormat(), after.charFormat()
    cursor = QTextCursor(block)
    cursor.setPosition(after.position(), QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    cursor.setBlockFormat(fmt)
    cursor.setBlockCharFormat(char)


@contextmanager
def edit_block(document: QTextDocument) -> Iterator[None]:
    """Edits as one: laid out once at the end, and cursors moved inside measure nothing
    (outside an edit block each move of a cursor shapes its line again to know where it
    stands on it)."""
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    try:
        yield
    finally:
        cursor.endEditBlock()


def begin_block(cursor: QTextCursor, spacer_format: QTextCharFormat, block: QTextBlockFormat,
                block_char: QTextCharFormat, *, spacer: bool, fold: bool) -> None:
    """Begin a directly written block as the HTML path's insertion begins it: the spacer
    line (`spacer`) in the cursor's block, then a block of its own. `fold`: the spacer
    would be folded into that block at once (`drop_spacer`, as a streamed update does), so
    when the cursor's block is empty it simply takes the block's formats: the same
    document, without writing the spacer's line and removing it again."""
    if spacer and fold and cursor.block().length() == 1:
        cursor.setBlockFormat(block)
        cursor.setBlockCharFormat(block_char)
        return
    if spacer:
        cursor.insertText(SPACER_CHAR, spacer_format)
    cursor.insertBlock(block, block_char)


def render_markdown(text: str, colours: TranscriptColours, **options: object) -> Rendered:
    """markdown_render, imported on first use: markdown-it and pygments cost start-up."""
    from opchat_gui.render.markdown import render_markdown as render
    return render(text, colours, **options)  # type: ignore[arg-type]


def render_pieces(text: str, colours: TranscriptColours, **options: object
                  ) -> Iterator[Piece]:
    """render/slices.py's pieces, imported on first use (as render_markdown is)."""
    from opchat_gui.render.slices import pieces
    return pieces(text, colours, **options)  # type: ignore[arg-type]


def plain_pieces(text: str, line_chars: int) -> Iterator[Piece]:
    """render/slices.py's plain_pieces, imported on first use."""
    from opchat_gui.render.slices import plain_pieces as pieces
    return pieces(text, line_chars)


def has_huge_line(text: str) -> bool:
    """Whether Markdown would make one giant paragraph of it (hostile or broken output)."""
    if len(text) <= HUGE_LINE_CHARS:
        return False
    # Such a line holds a whole window of half its length at an even offset: look for a
    # window with no newline (a hundred finds for a megabyte), then measure around it.
    window = HUGE_LINE_CHARS // 2
    for at in range(0, len(text), window):
        if text.find("\n", at, at + window) < 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            if (len(text) if end < 0 else end) - start > HUGE_LINE_CHARS:
                return True
    return False


def insert_in_pieces(cursor: QTextCursor, text: str, fmt: QTextCharFormat, *,
                      first: int = STREAM_LINE_CHARS) -> None:
    """Plain text with long lines cut into blocks of STREAM_LINE_CHARS: Qt lays out a
    block as a whole, so one 1 MB block costs seconds on every change."""
    for number, line in enumerate(text.split("\n")):
        if number:
            cursor.insertBlock(cursor.blockFormat(), fmt)
        limit = max(1, first) if number == 0 else STREAM_LINE_CHARS
        while len(line) > limit:
            cursor.insertText(line[:limit], fmt)
            cursor.insertBlock(cursor.blockFormat(), fmt)
            line, limit = line[limit:], STREAM_LINE_CHARS
        if line:
            cursor.insertText(line, fmt)


def stamp_text(created_at: float) -> str:
    """The time (today) or date and time, written the way the UI's locale writes them."""
    when = QDateTime.fromSecsSinceEpoch(int(created_at))
    short = QLocale.FormatType.ShortFormat
    if when.date() == QDate.currentDate():
        return QLocale().toString(when.time(), short)
    return QLocale().toString(when, short)


def block_format(top: float = 0) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setTopMargin(top)
    return fmt


def char_format(colour: str | None = None, *, bold: bool = False, italic: bool = False,
          size: int = 0) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if colour:
        fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    if size:
        fmt.setProperty(QTextCharFormat.Property.FontSizeAdjustment, size)
    return fmt


def role_format(role: str, colour: str, *, bold: bool = False, size: int = 0
               ) -> QTextCharFormat:
    """A format tagged with its theme role (ui/theme.py), as the app's own words are."""
    fmt = char_format(colour, bold=bold, size=size)
    fmt.setProperty(themes.ROLE_PROPERTY, role)
    return fmt


def link_format(href: str, colour: str) -> QTextCharFormat:
    fmt = char_format(colour, size=-1)
    fmt.setAnchor(True)
    fmt.setAnchorHref(href)
    return fmt

"""How a message looks: its header, its body (Markdown for replies), its footer (how a
reply ended, and its links) and the marks on its blocks.

It writes at a cursor it is given and records each reply's code blocks in the index;
where and when a message is written (the view, the pager, the stream) is not its
business. Its words stay in the "Transcript" translation context, where they were.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from opchat_gui.core.messages import CUT_SHORT_STATES, Message
from opchat_gui.core.text import fill
from opchat_gui.render.bidi import marked_plain
from opchat_gui.render.colours import TranscriptColours
from opchat_gui.render.links import COPY_CODE
from opchat_gui.render.math import split_math
from opchat_gui.render.simple_blocks import Fence
from opchat_gui.ui.transcript import tool_block
from opchat_gui.ui.transcript.actions import ICONS
from opchat_gui.ui.transcript.code_block import direct_blocks, write_code_block, write_header
from opchat_gui.ui.transcript.column import PAD_X, PAD_Y, USER_INDENT
from opchat_gui.ui.transcript.files import FileThumbnails
from opchat_gui.ui.transcript.icon_links import icon_link
from opchat_gui.ui.transcript.index import BRANCH, MESSAGE_ID, MessageIndex
from opchat_gui.ui.transcript.math import MathImages
from opchat_gui.ui.transcript.slicing import Slicer
from opchat_gui.ui.transcript.status import reply_marker
from opchat_gui.ui.transcript.text import (
    SLICED_CHARS,
    SPACER,
    SPACER_CHAR,
    STREAM_LINE_CHARS,
    begin_block,
    block_format,
    char_format,
    has_huge_line,
    insert_in_pieces,
    link_format,
    plain_pieces,
    render_markdown,
    render_pieces,
    role_format,
    stamp_text,
)
from opchat_gui.ui.transcript.thinking import KIND as THINKING
from opchat_gui.ui.transcript.thinking import no_answer_text, write_thinking
from opchat_gui.ui.transcript.wide_table import WideTables

if TYPE_CHECKING:
    from opchat_gui.render.slices import Piece

HEADER_GAP = 18  # pixels above each message
TOOL_GAP = 6  # above a tool call's line: it belongs to the reply above it

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls
Links = Callable[[Message], list[tuple[str, str]]]  # a message -> its footer's (text, href)


def tool_notes(message: Message) -> list[tuple[str, str]]:
    """What a reply's tool turns left to say: servers left out, the step limit reached,
    tools refused."""
    meta = tool_block.meta_of(message) if message.role == "assistant" else {}
    notes = []
    left_out = meta.get("tools_left_out")
    for item in left_out if isinstance(left_out, list) else []:
        if isinstance(item, dict):
            notes.append(("⚠ " + translate("Transcript", "Tools left out"), fill(translate(
                "Transcript", "%1 This reply went on without its tools; replies do not wait "
                "for it again for %2 seconds."), str(item.get("why", "")),
                str(item.get("retry", 0)))))
    if meta.get("tools_refused"):
        notes.append(("⚠ " + translate("Transcript", "No tools"), translate(
            "Transcript", "The server refused tools for this model, so this conversation "
            "goes on without them.") + (" " + translate(
                "Transcript", "llama-server takes tools only when started with --jinja.")
                if meta["tools_refused"] == "jinja" else "")))
    if meta.get("tools_unsupported"):
        notes.append(("⚠ " + translate("Transcript", "No tools"), fill(translate(
            "Transcript", "The server says this model cannot call tools (%1), so this "
            "conversation goes on without them for this model."),
            str(meta["tools_unsupported"]))))
    if meta.get("tools_unreadable"):
        notes.append(("⚠ " + translate("Transcript", "No tools"), fill(translate(
            "Transcript", "The model wrote a tool call as text (%1) that could not be read, "
            "so this conversation goes on without tools for this model."),
            str(meta["tools_unreadable"]))))
    if meta.get("text_calls"):
        notes.append(("⚠ " + translate("Transcript", "Tool calls read from text"), fill(
            translate("Transcript", "The server passed this model's tool calls on as text "
                      "(%1) instead of as calls; they were read and run as calls. A server "
                      "that knows the model's tool format (llama-server with --jinja, for "
                      "one) does this itself."), str(meta["text_calls"]))))
    if meta.get("tool_limit"):
        notes.append(("⚠ " + translate("Transcript", "Tool step limit"), translate(
            "Transcript", "The model was still calling tools after %1 steps; its last calls "
            "were not run. Send a message to let it go on.").replace(
                "%1", str(meta["tool_limit"]))))
    return notes


class MessageWriter:
    def __init__(self, index: MessageIndex, links: Links, colours: TranscriptColours,
                 math: MathImages | None = None, files: FileThumbnails | None = None) -> None:
        self.index = index
        self.files = files  # a user message's attachments; None: not shown
        self.colours = colours
        self._links = links
        self.math = math  # draws formulas; None: they show as their source
        self.slicer: Slicer | None = None  # writes big replies in pieces; None: whole

    def header(self, cursor: QTextCursor, message: Message) -> None:
        c = self.colours
        if message.role == "tool":  # one folded line (tool_block)
            tool_block.write_header(cursor, message,
                                    self.index.folds.is_open(tool_block.KIND, message.id), c)
            return
        role = {"user": (translate("Transcript", "You"), c.user_label, "user"),
                "assistant": (translate("Transcript", "Assistant"), c.assistant_label,
                              "assistant"),
                "system": (translate("Transcript", "System"), c.system_label, "system")}
        error = (translate("Transcript", "Error"), c.error_text, "error")
        label, colour, name = role.get(message.role, error)
        cursor.insertText(label, role_format(name, colour, bold=True))
        cursor.insertText("  " + stamp_text(message.created_at),
                          role_format("muted", c.muted, size=-1))
        if message.role == "user":  # its actions on the header line: no footer line each
            for text, href, icon in self._icon_links(message):
                cursor.insertText("   ", char_format(c.muted, size=-1))
                cursor.insertImage(icon_link(icon, c.muted, shared(href), text))

    def body(self, cursor: QTextCursor, message: Message) -> None:
        content = message.content
        if message.role == "tool":
            if self.index.folds.is_open(tool_block.KIND, message.id):
                tool_block.write_body(cursor, message, self.colours)
            return
        if message.role == "assistant" and message.reasoning:
            self.thinking(cursor, message)
        if message.role == "assistant" and has_huge_line(content) and self.slicer is not None:
            self.slicer.write(cursor, message.id, plain_pieces(marked_plain(content),
                                                               STREAM_LINE_CHARS))
        elif message.role == "assistant" and has_huge_line(content):
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            insert_in_pieces(cursor, marked_plain(content), char_format())
        elif message.role == "assistant":
            self.index.codes[message.id] = []
            self.markdown(cursor, content, message.id, partial=message.state in CUT_SHORT_STATES)
        elif content:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self.plain(cursor, content, message.id)
        if message.role == "user" and self.files is not None:
            self.files.write(cursor, message.id, self.colours)

    def thinking(self, cursor: QTextCursor, message: Message) -> None:
        """The reply's thinking as one fold line ("▸ Thought for 12 s"), open if the user
        opened it."""
        write_thinking(cursor, message, self.colours.muted,
                       opened=self.index.folds.is_open(THINKING, message.id))

    def plain(self, cursor: QTextCursor, text: str, message_id: int) -> None:
        """Text as it was typed, with its formulas drawn (the user's messages)."""
        fmt = char_format()
        pieces = split_math(text) if self.math is not None else [(text, None, False)]
        for piece, latex, display in pieces:
            if latex is None or self.math is None:
                cursor.insertText(marked_plain(piece), fmt)  # bidi controls as markers
            else:
                self.math.insert(cursor, message_id, piece, latex, display, self.colours, fmt)

    def markdown(self, cursor: QTextCursor, text: str, message_id: int, *,
                 partial: bool = False, live: bool = False, later: bool = False,
                 fold: bool = False, more: bool = False) -> bool:
        """Rendered Markdown at the cursor; its code blocks join the message's in the index.
        A big reply is written in pieces (slicing.py), and so is what follows it while
        its pieces wait; not `live` text (a streaming reply's open block, redrawn on each
        update). `later`: a big reply's pieces all go in later (slicing.py). `fold`: the
        caller folds the leading spacer away (text.begin_block). `more`: blocks of the same
        insertion follow (the last block ends as one followed by them). Whether the place
        at the cursor is the text's (written, or kept for its pieces)."""
        if not text or text.isspace():  # (strip() would copy a megabyte)
            return False
        codes = self.index.codes.setdefault(message_id, [])
        copy = translate("Transcript", "Copy")
        math = None if self.math is None else self.math.html_for(message_id, self.colours)
        if self.slicer is not None and not live and (len(text) > SLICED_CHARS
                                                     or self.slicer.queued(message_id)):
            pieces = render_pieces(text, self.colours, message_id=message_id, codes=codes,
                                   copy_label=copy, partial=partial, math=math)
            return self.slicer.write(cursor, message_id, pieces, now=not later)
        blocks = None if partial or live else direct_blocks(text)
        if blocks is not None:  # finished plain paragraphs and code: without HTML
            for number, block in enumerate(blocks):
                last = number == len(blocks) - 1 and not more
                if isinstance(block, Fence):
                    write_code_block(cursor, block.code, block.language, self.colours,
                                     f"{COPY_CODE}{message_id}/{len(codes)}", copy,
                                     spacer=not number, last=last, fold=fold)
                    codes.append(block.code)
                else:
                    self.paragraph(cursor, " ".join(" ".join(block.lines).split()),
                                   spacer=not number, last=last, fold=fold)
            return True
        rendered = render_markdown(text, self.colours, message_id=message_id,
                                   code_base=len(codes), copy_label=copy, partial=partial,
                                   math=math)
        codes.extend(rendered.codes)
        start = cursor.position()
        cursor.insertHtml(SPACER + rendered.html)
        WideTables.place(cursor, start, cursor.position(), rendered.tables)
        return True

    def paragraph(self, cursor: QTextCursor, text: str, *, spacer: bool = True,
                  last: bool = True, fold: bool = False) -> None:
        """A plain paragraph (tail.plain_paragraph) at the cursor, written as rendering it
        would write it (`markdown`), with the formats such a render gave once: without
        markdown-it and the HTML importer, most of what an update of the open block cost.
        `spacer`: it begins the insertion (`fold`: text.begin_block); `last`: it ends it."""
        spacer_format, block, block_char, char, after = _paragraph_formats()
        begin_block(cursor, spacer_format, block, block_char, spacer=spacer, fold=fold)
        cursor.insertText(text + after if last else text, char)

    @staticmethod
    def spacer(cursor: QTextCursor) -> None:
        """The spacer line alone: what rendering an open block that shows nothing (a fence's
        unfinished first line: tail.without_fence_line) left."""
        cursor.insertText(SPACER_CHAR, _paragraph_formats()[0])

    @staticmethod
    def insert_piece(cursor: QTextCursor, piece: Piece, first: bool) -> None:
        """One piece of a big reply (render/slices.py). The first goes where a whole reply
        would; later ones each in a block of their own, a code block's further lines with
        its lines' formats (so it reads as one block); plain text in blocks of its lines."""
        if piece.plain:
            if first:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            else:
                cursor.insertBlock(cursor.blockFormat(), char_format())
            insert_in_pieces(cursor, piece.html, char_format())
            return
        if piece.more_code:
            block = cursor.block()
            cursor.insertBlock(block.blockFormat(), block.charFormat())
            cursor.insertHtml(piece.html)
            return
        if not first:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        start = cursor.position()
        cursor.insertHtml(SPACER + piece.html)
        WideTables.place(cursor, start, cursor.position(), piece.tables)

    def _icon_links(self, message: Message) -> list[tuple[str, str, str]]:
        """(tool tip, href, icon name) of the message's links that are drawn as icons."""
        return [(text, href, icon) for text, href in self._links(message)
                if (icon := _icon(href)) is not None]

    def footer(self, cursor: QTextCursor, message: Message) -> None:
        c = self.colours
        no_answer = no_answer_text(message)
        if no_answer:  # it thought and never answered: say so where the answer would be
            cursor.insertBlock(block_format(top=6), QTextCharFormat())
            cursor.insertText(no_answer, role_format("warning", c.note))
        notes: list[tuple[str, QTextCharFormat]] = []
        if message.role == "tool":
            return
        for title, detail in tool_notes(message):
            notes.append((title, role_format("warning", c.note, bold=True)))
            notes.append((detail, role_format("warning", c.note)))
        marker = reply_marker(message)
        if marker is not None:
            title, role, detail = marker
            colour = c.error_text if role == "error" else c.note
            notes.append((title, role_format(role, colour, bold=True)))
            notes.append((detail, role_format(role, colour)))
        links = self._links(message)
        if message.role == "user":  # its icons are on its header line
            links = [link for link in links if not _icon(link[1])]
        if not notes and not links:
            return
        cursor.insertBlock(block_format(top=4), QTextCharFormat())
        for text, fmt in notes:
            cursor.insertText(text, fmt)
            cursor.insertText("  ", char_format())
        tight = False  # inside `‹ i/n ›`: single spaces, the count not a link
        was_icon = False
        for number, (text, href) in enumerate(links):
            branch = not href or href.startswith(BRANCH)
            icon = _icon(href)
            if number:
                gap = " " if branch and tight else "   " if icon and was_icon else "  ·  "
                cursor.insertText(gap, char_format(c.muted, size=-1))
            tight, was_icon = branch, icon is not None
            if icon is not None:  # an action: its icon, its words as the tool tip
                cursor.insertImage(icon_link(icon, c.muted, shared(href), text))
                continue
            fmt = link_format(href, c.link) if href else char_format(c.muted, size=-1)
            if href.startswith(BRANCH):  # a one-glyph target: bold, so it reads as a button
                fmt.setFontWeight(QFont.Weight.Bold)
            cursor.insertText(text, fmt)
        cursor.setCharFormat(char_format())

    def open_fence(self, cursor: QTextCursor, message_id: int, language: str,
                   code: str, *, fold: bool = False) -> None:
        """A fence still streaming, as its finished block will look but plain: the header
        with its language and Copy link (which copies once the block is finished), then
        its code so far on the code background; later lines are appended in
        `code_format`. No gap below it yet: it is not finished."""
        write_header(cursor, language, self.colours,
                     f"{COPY_CODE}{message_id}/{len(self.index.codes.get(message_id, []))}",
                     translate("Transcript", "Copy"), fold=fold)
        block, char = _open_code_formats(self.colours)
        cursor.insertBlock(block, char)
        insert_in_pieces(cursor, marked_plain(code), char)

    def code_format(self) -> QTextCharFormat:
        """The text of a fence still streaming (`open_fence`): a code block's own."""
        return QTextCharFormat(_open_code_formats(self.colours)[1])

    def stamp(self, document: QTextDocument, message: Message, start: int, end: int, *,
              header: bool = False) -> None:
        """Mark blocks as the message's (for hit tests) and give them its role's look.
        The user's blocks get room for the bubble painted under them (column.Bubbles)."""
        fmt = QTextBlockFormat()
        fmt.setProperty(MESSAGE_ID, message.id)
        c = self.colours
        tint = {"system": c.system_bg, "error": c.error_bg}.get(message.role)
        if tint:
            fmt.setBackground(QColor(tint))
        user = message.role == "user"
        if user:
            fmt.setLeftMargin(USER_INDENT + PAD_X)
            fmt.setRightMargin(PAD_X)
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeBlockFormat(fmt)
        if header:
            cursor.setPosition(start)
            cursor.mergeBlockFormat(block_format(top=TOOL_GAP if message.role == "tool"
                                                 else HEADER_GAP + (PAD_Y if user else 0)))
        if user:  # as much room under the bubble as above it
            cursor.setPosition(end)
            below = QTextBlockFormat()
            below.setBottomMargin(PAD_Y)
            cursor.mergeBlockFormat(below)


@cache
def _paragraph_formats() -> tuple[QTextCharFormat, QTextBlockFormat, QTextCharFormat,
                                  QTextCharFormat, str]:
    """How a rendered plain paragraph comes out of the HTML importer: the spacer's char
    format, the paragraph's block, block char and char formats, and what the importer
    leaves after its words. Learnt once, from rendering one word as `markdown` does."""
    from opchat_gui.render.colours import LIGHT  # (a paragraph's formats hold no colour)

    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    cursor.insertHtml(SPACER + render_markdown("Word", LIGHT, partial=True).html)
    spacer = document.findBlockByNumber(1)
    block = spacer.next()
    if (spacer.text() != SPACER_CHAR or not block.text().startswith("Word")
            or block.next().isValid()):
        raise RuntimeError("the renderer's paragraph changed shape")  # (tests catch it)
    return (spacer.begin().fragment().charFormat(), block.blockFormat(), block.charFormat(),
            block.begin().fragment().charFormat(), block.text()[len("Word"):])


@lru_cache(maxsize=4)
def _open_code_formats(colours: TranscriptColours) -> tuple[QTextBlockFormat, QTextCharFormat]:
    """A code line's block and char formats as the HTML importer makes them from a
    finished block's <pre> (without its gap below), learnt once per theme."""
    from opchat_gui.render.markdown import code_pre_html  # (as text.render_markdown)

    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    cursor.insertHtml(SPACER + code_pre_html("x", colours, last=False))
    block = document.findBlockByNumber(2)  # (after the empty block and the spacer)
    if not block.text().startswith("x"):
        raise RuntimeError("the renderer's code block changed shape")  # (tests catch it)
    return block.blockFormat(), block.begin().fragment().charFormat()


def _icon(href: str) -> str | None:
    """The icon a footer link is drawn as (actions.ICONS), or None for a text link."""
    return next((name for prefix, name in ICONS.items() if href.startswith(prefix)), None)


def shared(href: str) -> str:
    """An icon's link without its message id: every copy icon shares one format (the
    message is found from where it was clicked; actions.on_anchor)."""
    return href[:href.rindex("/") + 1]

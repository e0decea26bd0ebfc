"""The transcript: every message as a run of blocks in one document, so selection and
copying work across messages, while a streaming reply only ever touches its tail.

Costs are kept flat:
- a chunk appends plain text at the end (ChatService sends at most one per frame);
- a finished Markdown block (paragraph, closed fence) is rendered once, replacing the
  plain tail it came from; the unfinished tail stays plain text until it finishes;
- opening a conversation renders the newest page at once and older pages in small
  batches at the top, so first paint does not grow with the conversation's length.
No message is a QTextFrame or table: every frame in a document makes each later edit
re-lay out all of them, which turns a long conversation quadratic.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from time import perf_counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QLocale, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from opchat_gui.chat.error_text import localize_error
from opchat_gui.store import Message, MessageState
from opchat_gui.ui import theme as themes
from opchat_gui.ui.message_actions import MessageActions
from opchat_gui.ui.stream_blocks import BlockSplitter
from opchat_gui.ui.stream_status import reply_outcome
from opchat_gui.ui.transcript_style import TranscriptColours, colours_for, colours_from_theme

if TYPE_CHECKING:
    from opchat_gui.ui.markdown_render import Rendered

MESSAGE_ID = QTextFormat.Property.UserProperty + 1  # on every block of a message
FOLLOW_SLACK = 24  # pixels from the bottom that still count as "at the bottom"
FIRST_PAGE = 30  # messages rendered before the first paint
FIRST_PAGE_CHARS = 60_000  # ...or fewer, when they are long
OLDER_PAGE = 100  # messages fetched per query while loading older ones
FIRST_FLUSH = 200  # older messages moved into the transcript first; then FLUSH_GROWTH x more
FLUSH_GROWTH = 8
STEP_BUDGET = 0.012  # seconds of rendering per background step
# A one-pixel spacer line heads each HTML insertion: QTextCursor.insertHtml merges the
# first inserted block into the current one and drops its block format (heading,
# code background). The spacer takes that loss instead.
SPACER = "<p style=\"font-size: 1px; margin: 0;\">\u200b</p>"
STREAM_LINE_CHARS = 4_000  # a longer unfinished line is shown in pieces while streaming
WARM_UP_MS = 200  # after start-up: import the renderer before the first reply needs it
HUGE_LINE_CHARS = 20_000  # a reply with a longer line is shown as plain text

Loader = Callable[[int | None, int], list[Message]]  # (older than this id, limit) -> oldest first


class Transcript(QTextBrowser):
    retryRequested = Signal()
    continueRequested = Signal()  # Continue a cut-off reply (message_actions.CONTINUE)
    fullyLoaded = Signal()  # every message of the open conversation is in the document
    messageActionRequested = Signal(str, int)  # action name, message id (see MessageActions)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setAccessibleName(self.tr("Transcript"))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDocumentMargin(18)
        self.document().setUndoRedoEnabled(False)
        self.colours = colours_for(self.palette())
        self.theme: themes.Theme = themes.DARK if self.colours.dark else themes.LIGHT
        self.follow_stream = True  # the "follow the stream" setting
        self.messages: dict[int, Message] = {}
        self.order: list[int] = []  # message ids, oldest first
        self.codes: dict[int, list[str]] = {}  # message id -> its code blocks' raw text
        self.versions_of: Callable[[int], list[str]] = lambda _id: []  # earlier, oldest first
        self.version_counts: dict[int, int] = {}  # message id -> number of earlier versions
        self.shown_version: dict[int, int] = {}  # message id -> earlier version on show
        # Each message's header block: a QTextBlock keeps its position through edits
        # elsewhere at no cost, while every QTextCursor is updated on every edit.
        self._starts: dict[int, QTextBlock] = {}
        self._streaming_id: int | None = None
        self._splitter = BlockSplitter()
        self._tail = QTextCursor(self.document())
        self._loader: Loader | None = None
        self._detached: QTextDocument | None = None  # older messages being rendered
        self._detached_ids: list[int] = []
        self._detached_starts: dict[int, QTextBlock] = {}
        self._flush_at = FIRST_FLUSH
        self._older_done = True
        self._older_timer = QTimer(self)
        self._older_timer.setSingleShot(True)
        self._older_timer.timeout.connect(self._load_older_step)
        self.actions = MessageActions(self)
        self.anchorClicked.connect(self.actions.on_anchor)
        # Load markdown-it and pygments once the window is up, not in the first reply.
        QTimer.singleShot(WARM_UP_MS, self._warm_up)

    def _warm_up(self) -> None:
        render_markdown("*a*\n\n```python\nx = 1\n```\n", self.colours)

    # Opening a conversation

    def show_messages(self, messages: list[Message]) -> None:
        """Show exactly these messages (all at once; for short lists and tests)."""
        self.open(lambda before, limit: [] if before is not None else messages)

    def open(self, loader: Loader) -> None:
        """Render the newest messages now; older ones follow in batches at the top."""
        self._older_timer.stop()
        self._reset()
        self._loader = loader
        newest = loader(None, FIRST_PAGE)
        kept: list[Message] = []
        chars = 0
        for message in reversed(newest):
            if kept and chars + len(message.content) > FIRST_PAGE_CHARS:
                break
            kept.append(message)
            chars += len(message.content)
        kept.reverse()
        self._older_done = False
        self._render_page(kept)
        if len(kept) < len(newest):
            self._older_pending = newest[: len(newest) - len(kept)]
        else:
            self._older_pending = []
            self._older_done = len(newest) < FIRST_PAGE
        self._scroll_to_bottom()
        if self._older_done and not self._older_pending:
            self.fullyLoaded.emit()
        else:
            self._older_timer.start(0)

    @property
    def fully_loaded(self) -> bool:
        return self._older_done and not self._older_pending

    def load_all(self) -> None:
        """Render every older message now (before a whole-transcript search or copy)."""
        while not self.fully_loaded:
            self._load_older_step(budget=None)

    def _load_older_step(self, budget: float | None = STEP_BUDGET) -> None:
        """Render older messages into a detached document (no view: no layout cost),
        newest first at its top; move it to the top of the transcript in a few pieces of
        growing size (FIRST_FLUSH, then x FLUSH_GROWTH): Qt re-lays out the whole document
        on an insertion at its top, so few moves keep the total linear."""
        started = perf_counter()
        while True:
            if not self._older_pending and not self._older_done and self._loader is not None:
                oldest = (self._detached_ids[0] if self._detached_ids
                          else self.order[0] if self.order else None)
                page = self._loader(oldest, OLDER_PAGE)
                self._older_done = len(page) < OLDER_PAGE
                self._older_pending = page
            if not self._older_pending:
                self._older_done = True
                self._flush_older()
                self.fullyLoaded.emit()
                return
            self._write_detached(self._older_pending.pop())
            if len(self._detached_ids) >= self._flush_at:
                self._flush_older()
                self._flush_at *= FLUSH_GROWTH
            if budget is not None and perf_counter() - started >= budget:
                self._older_timer.start(0)
                return

    def _write_detached(self, message: Message) -> None:
        if self._detached is None:
            self._detached = QTextDocument(self)
            self._detached.setUndoRedoEnabled(False)
        cursor = QTextCursor(self._detached)  # its start: older than all it holds
        self._write(cursor, message, self._detached_starts)
        self._detached_ids.insert(0, message.id)

    def _flush_older(self) -> None:
        """Move the detached older messages to the top of the transcript, in one edit."""
        if self._detached is None or not self._detached_ids:
            return
        bar = self.verticalScrollBar()
        from_bottom = bar.maximum() - bar.value()
        cursor = QTextCursor(self.document())
        # Both documents start with an empty spacer block, so positions carry over as is.
        positions = {mid: block.position() for mid, block in self._detached_starts.items()}
        cursor.insertFragment(QTextDocumentFragment(self._detached))
        document = self.document()
        for message_id, position in positions.items():
            self._starts[message_id] = document.findBlock(position)
        self.order = self._detached_ids + self.order
        self._detached_starts = {}
        self._detached_ids = []
        self._detached.deleteLater()
        self._detached = None
        bar.setValue(bar.maximum() - from_bottom)

    def _render_page(self, messages: list[Message]) -> None:
        if not messages:
            return
        cursor = self._end()
        cursor.beginEditBlock()
        for message in messages:
            self._write(cursor, message)
        cursor.endEditBlock()
        self.order += [m.id for m in messages]

    # Live updates from ChatService

    def add_message(self, message: Message) -> None:
        if message.id in self.messages:  # a reply that restarts (retry, regenerate)
            self.update_message(message)
            return
        follow = self._at_bottom()
        cursor = self._end()
        cursor.beginEditBlock()
        self._write(cursor, message)
        cursor.endEditBlock()
        self.order.append(message.id)
        if follow:
            self._scroll_to_bottom()

    def append_chunk(self, message_id: int, text: str) -> None:
        if message_id != self._streaming_id:
            return
        follow = self.follow_stream and self._at_bottom()
        finished = self._splitter.feed(text)
        if finished:
            self._replace_tail(finished, final=False)
        else:
            self._append_plain(text)
        if follow:
            self._scroll_to_bottom()

    def update_message(self, message: Message) -> None:
        """A message changed (a reply finished, an edit, a restart): redraw only it."""
        if message.id not in self.messages:
            return
        follow = self._at_bottom()
        if message.id == self._streaming_id and message.state != MessageState.STREAMING:
            self.messages[message.id] = message
            self._replace_tail(self._splitter.finish(), final=True)
            self._streaming_id = None
            cursor = self._end()
            end_before = cursor.position()
            self._write_footer(cursor, message)
            self._stamp(message.id, end_before, cursor.position())
        else:
            self.shown_version.pop(message.id, None)
            self._rewrite(message)
        if follow:
            self._scroll_to_bottom()

    def remove_message(self, message_id: int) -> None:
        if message_id not in self.messages:
            return
        cursor = self._range(message_id)
        cursor.setPosition(max(0, cursor.selectionStart() - 1))
        cursor.setPosition(self._range(message_id).selectionEnd(),
                           QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._forget(message_id)

    def show_version(self, message_id: int, version: int | None) -> None:
        """Show an earlier version of a reply in place (None: the latest)."""
        message = self.messages.get(message_id)
        if message is None or message_id == self._streaming_id:
            return
        if version is None:
            self.shown_version.pop(message_id, None)
        else:
            self.shown_version[message_id] = version
        self._rewrite(message)

    finish_message = update_message

    def shows(self, message_id: int) -> bool:
        return message_id in self.messages

    def set_colours(self, colours: TranscriptColours) -> None:
        """Re-style every shown message (a theme change; never per chunk)."""
        if colours == self.colours:
            return
        self.colours = colours
        for message_id in list(self.order):
            if message_id != self._streaming_id:
                self._rewrite(self.messages[message_id])

    def set_theme(self, theme: themes.Theme) -> None:
        """The app's theme changed (ui/theme.py): re-style every message once."""
        self.theme = theme
        self.set_colours(colours_from_theme(theme))

    # Writing messages

    def _write(self, cursor: QTextCursor, message: Message,
               starts: dict[int, QTextBlock] | None = None) -> None:
        """Write a whole message at the cursor (always preceded by a new block)."""
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        start = cursor.block()
        (self._starts if starts is None else starts)[message.id] = start
        self.messages[message.id] = message
        self._write_header(cursor, message)
        if message.state == MessageState.STREAMING:
            self._streaming_id = message.id
            self._splitter = BlockSplitter()
            self.codes[message.id] = []
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail = QTextCursor(cursor)
            self._tail.setKeepPositionOnInsert(True)
        else:
            self._write_body(cursor, message)
            self._write_footer(cursor, message)
        self._stamp(message.id, start.position(), cursor.position(), header=True,
                    document=cursor.document())

    def _write_header(self, cursor: QTextCursor, message: Message) -> None:
        c = self.colours
        role = {"user": (self.tr("You"), c.user_label, "user"),
                "assistant": (self.tr("Assistant"), c.assistant_label, "assistant"),
                "system": (self.tr("System"), c.system_label, "system")}
        label, colour, name = role.get(message.role, (self.tr("Error"), c.error_text, "error"))
        cursor.insertText(label, _role_char(name, colour, bold=True))
        cursor.insertText("  " + _stamp_text(message.created_at),
                          _role_char("muted", c.muted, size=-1))

    def _write_body(self, cursor: QTextCursor, message: Message) -> None:
        content = message.content
        version = self.shown_version.get(message.id)
        if version is not None:
            versions = self.versions_of(message.id)
            if version < len(versions):
                content = versions[version]
        if message.role == "assistant" and _has_huge_line(content):
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            _insert_in_pieces(cursor, content, _char())
        elif message.role == "assistant":
            rendered = render_markdown(content, self.colours, message_id=message.id,
                                       copy_label=self.tr("Copy"))
            self.codes[message.id] = rendered.codes
            if content.strip():
                cursor.insertHtml(SPACER + rendered.html)
        elif content:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertText(content, _char())

    def _write_footer(self, cursor: QTextCursor, message: Message) -> None:
        c = self.colours
        notes: list[tuple[str, QTextCharFormat]] = []
        outcome = reply_outcome(message)
        if outcome:
            markers = {
                "stopped": ("■ " + self.tr("Stopped"), "warning",
                            self.tr("You stopped this reply; the part above is kept.")),
                "interrupted": ("⚠ " + self.tr("Interrupted"), "warning",
                                self.tr("The app closed while this reply was streaming.")),
                "cut_off": ("✂ " + self.tr("Cut off"), "warning",
                            localize_error(message.error)),
                "failed": ("✖ " + self.tr("Failed"), "error",
                           localize_error(message.error) or self.tr("The reply failed.")),
            }
            title, role, detail = markers[outcome]
            colour = c.error_text if role == "error" else c.note
            notes.append((title, _role_char(role, colour, bold=True)))
            notes.append((detail, _role_char(role, colour)))
        links = self.actions.footer_links(message)
        if not notes and not links:
            return
        cursor.insertBlock(_block(top=4), QTextCharFormat())
        for text, fmt in notes:
            cursor.insertText(text, fmt)
            cursor.insertText("  ", _char())
        for index, (text, href) in enumerate(links):
            if index:
                cursor.insertText("  ·  ", _char(c.muted, size=-1))
            cursor.insertText(text, _link(href, c.link))
        cursor.setCharFormat(_char())

    def _rewrite(self, message: Message) -> None:
        cursor = self._range(message.id)
        start = cursor.selectionStart()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        cursor.setPosition(start)
        self.messages[message.id] = message
        self._write_header(cursor, message)
        if message.state == MessageState.STREAMING:
            self._streaming_id = message.id
            self._splitter = BlockSplitter()
            self.codes[message.id] = []
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail = QTextCursor(cursor)
            self._tail.setKeepPositionOnInsert(True)
        else:
            self._write_body(cursor, message)
            self._write_footer(cursor, message)
        cursor.endEditBlock()
        self._stamp(message.id, start, cursor.position(), header=True)

    def _append_plain(self, text: str) -> None:
        cursor = self._end()
        fmt = self._tail_format()
        if cursor.block().length() + len(text) > STREAM_LINE_CHARS:
            # A huge unfinished line: relaying out one giant block per frame is quadratic.
            _insert_in_pieces(cursor, text, fmt, first=STREAM_LINE_CHARS - cursor.block().length())
        else:
            cursor.insertText(text, fmt)

    def _replace_tail(self, finished: str, *, final: bool) -> None:
        """Swap the plain tail for the rendered finished blocks plus the new plain tail."""
        message_id = self._streaming_id
        assert message_id is not None
        start = self._tail.position()  # (its anchor moves on insert; only position is kept)
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        codes = self.codes.setdefault(message_id, [])
        if _has_huge_line(finished):
            _insert_in_pieces(cursor, finished, _char())
        elif finished.strip():
            rendered = render_markdown(finished, self.colours, message_id=message_id,
                                       code_base=len(codes), copy_label=self.tr("Copy"))
            codes.extend(rendered.codes)
            cursor.insertHtml(SPACER + rendered.html)
        if not final:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail = QTextCursor(cursor)
            self._tail.setKeepPositionOnInsert(True)
            if self._splitter.pending:
                _insert_in_pieces(cursor, self._splitter.pending, self._tail_format())
        cursor.endEditBlock()
        self._stamp(message_id, start, self._end().position())

    def _tail_format(self) -> QTextCharFormat:
        if not self._splitter.in_fence:
            return _char()
        fmt = _char()
        fmt.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        fmt.setBackground(QColor(self.colours.code_bg))
        return fmt

    def _stamp(self, message_id: int, start: int, end: int, *, header: bool = False,
               document: QTextDocument | None = None) -> None:
        """Mark blocks as the message's (for hit tests) and give them its role's look."""
        message = self.messages[message_id]
        fmt = QTextBlockFormat()
        fmt.setProperty(MESSAGE_ID, message_id)
        c = self.colours
        tint = {"user": c.user_bg, "system": c.system_bg, "error": c.error_bg}.get(message.role)
        if tint:
            fmt.setBackground(QColor(tint))
        if message.role == "user":
            fmt.setLeftMargin(96)
        cursor = QTextCursor(document or self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeBlockFormat(fmt)
        if header:
            cursor.setPosition(start)
            cursor.mergeBlockFormat(_block(top=18))

    # Geometry of messages

    def _range(self, message_id: int) -> QTextCursor:
        """A cursor selecting the message, from its header to just before the next one."""
        start = self._starts[message_id].position()
        index = self._index(message_id)
        if index + 1 < len(self.order):
            end = self._starts[self.order[index + 1]].position() - 1
        else:
            end = self._end().position()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(max(start, end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _index(self, message_id: int) -> int:
        index = bisect_left(self.order, message_id)
        if index < len(self.order) and self.order[index] == message_id:
            return index
        return self.order.index(message_id)

    def message_at(self, position: int) -> int | None:
        block = self.document().findBlock(position)
        value = block.blockFormat().property(MESSAGE_ID)
        return int(value) if isinstance(value, int) and value in self.messages else None

    def select_message(self, message_id: int) -> None:
        """Select the whole message (Alt+Up/Down, context menu): Ctrl+C then copies it."""
        cursor = self._range(message_id)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _forget(self, message_id: int) -> None:
        self.messages.pop(message_id, None)
        self._starts.pop(message_id, None)
        self.codes.pop(message_id, None)
        self.shown_version.pop(message_id, None)
        if message_id in self.order:
            self.order.remove(message_id)
        if message_id == self._streaming_id:
            self._streaming_id = None

    def _reset(self) -> None:
        self.clear()
        self.messages.clear()
        self.order.clear()
        self.codes.clear()
        self.shown_version.clear()
        self._starts.clear()
        self._streaming_id = None
        self._older_pending: list[Message] = []
        self._older_done = True
        if self._detached is not None:
            self._detached.deleteLater()
        self._detached: QTextDocument | None = None
        self._detached_ids: list[int] = []  # oldest first
        self._detached_starts: dict[int, QTextBlock] = {}
        self._flush_at = FIRST_FLUSH

    def _end(self) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - FOLLOW_SLACK

    def _scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def loadResource(self, kind: int, url: QUrl) -> object:
        """Nothing is ever loaded: model output may point anywhere."""
        return None

    def contextMenuEvent(self, event: object) -> None:
        self.actions.context_menu(event)  # type: ignore[arg-type]

    def on_link(self, url: QUrl) -> None:
        self.actions.on_anchor(url)

    def copy_text(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)


def render_markdown(text: str, colours: TranscriptColours, **options: object) -> Rendered:
    """markdown_render, imported on first use: markdown-it and pygments cost start-up."""
    from opchat_gui.ui.markdown_render import render_markdown as render
    return render(text, colours, **options)  # type: ignore[arg-type]


def _has_huge_line(text: str) -> bool:
    """Whether Markdown would make one giant paragraph of it (hostile or broken output)."""
    if len(text) <= HUGE_LINE_CHARS:
        return False
    return any(len(line) > HUGE_LINE_CHARS for line in text.split("\n"))


def _insert_in_pieces(cursor: QTextCursor, text: str, fmt: QTextCharFormat, *,
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


def _stamp_text(created_at: float) -> str:
    """The time (today) or date and time, written the way the UI's locale writes them."""
    when = QDateTime.fromSecsSinceEpoch(int(created_at))
    short = QLocale.FormatType.ShortFormat
    if when.date() == QDate.currentDate():
        return QLocale().toString(when.time(), short)
    return QLocale().toString(when, short)


def _block(top: float = 0) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setTopMargin(top)
    return fmt


def _char(colour: str | None = None, *, bold: bool = False, italic: bool = False,
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


def _role_char(role: str, colour: str, *, bold: bool = False, size: int = 0
               ) -> QTextCharFormat:
    """A format tagged with its theme role (ui/theme.py), as the app's own words are."""
    fmt = _char(colour, bold=bold, size=size)
    fmt.setProperty(themes.ROLE_PROPERTY, role)
    return fmt


def _link(href: str, colour: str) -> QTextCharFormat:
    fmt = _char(colour, size=-1)
    fmt.setAnchor(True)
    fmt.setAnchorHref(href)
    return fmt


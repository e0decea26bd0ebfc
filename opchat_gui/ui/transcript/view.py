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

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QPalette,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from opchat_gui.core.messages import Message, MessageState
from opchat_gui.render.colours import DARK, LIGHT, TranscriptColours, colours_from_theme
from opchat_gui.render.stream_blocks import BlockSplitter
from opchat_gui.ui import theme as themes
from opchat_gui.ui.transcript.actions import MessageActions
from opchat_gui.ui.transcript.error_text import localize_error
from opchat_gui.ui.transcript.paging import FIRST_FLUSH, Loader, PagedOpen
from opchat_gui.ui.transcript.status import reply_outcome
from opchat_gui.ui.transcript.text import (
    SPACER,
    STREAM_LINE_CHARS,
    block_format,
    char_format,
    has_huge_line,
    insert_in_pieces,
    link_format,
    render_markdown,
    role_format,
    stamp_text,
)

_stamp_text = stamp_text  # the name tests/unit/test_i18n.py knows it by

MESSAGE_ID = QTextFormat.Property.UserProperty + 1  # on every block of a message
FOLLOW_SLACK = 24  # pixels from the bottom that still count as "at the bottom"
# A reply cut short renders as if it had ended there: no raw `**` from the cut.
CUT_SHORT = frozenset({MessageState.FAILED, MessageState.STOPPED, MessageState.INTERRUPTED})
WARM_UP_MS = 200  # after start-up: import the renderer before the first reply needs it

class Transcript(PagedOpen, QTextBrowser):
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
        self.colours = DARK if self.palette().color(QPalette.ColorRole.Base).lightness() < 128 \
            else LIGHT
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
            self._replace_tail(self._splitter.finish(), final=True,
                               partial=message.state in CUT_SHORT)
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

    def position_of(self, message_id: int) -> int | None:
        """Where the message starts in the document (search hits); renders older pages."""
        if message_id not in self._starts:
            self.load_all()
        start = self._starts.get(message_id)
        return None if start is None else start.position()

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
        cursor.insertText(label, role_format(name, colour, bold=True))
        cursor.insertText("  " + stamp_text(message.created_at),
                          role_format("muted", c.muted, size=-1))

    def _write_body(self, cursor: QTextCursor, message: Message) -> None:
        content = message.content
        version = self.shown_version.get(message.id)
        if version is not None:
            versions = self.versions_of(message.id)
            if version < len(versions):
                content = versions[version]
        if message.role == "assistant" and has_huge_line(content):
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            insert_in_pieces(cursor, content, char_format())
        elif message.role == "assistant":
            rendered = render_markdown(content, self.colours, message_id=message.id,
                                       copy_label=self.tr("Copy"),
                                       partial=message.state in CUT_SHORT)
            self.codes[message.id] = rendered.codes
            if content.strip():
                cursor.insertHtml(SPACER + rendered.html)
        elif content:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertText(content, char_format())

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
            notes.append((title, role_format(role, colour, bold=True)))
            notes.append((detail, role_format(role, colour)))
        links = self.actions.footer_links(message)
        if not notes and not links:
            return
        cursor.insertBlock(block_format(top=4), QTextCharFormat())
        for text, fmt in notes:
            cursor.insertText(text, fmt)
            cursor.insertText("  ", char_format())
        for index, (text, href) in enumerate(links):
            if index:
                cursor.insertText("  ·  ", char_format(c.muted, size=-1))
            cursor.insertText(text, link_format(href, c.link))
        cursor.setCharFormat(char_format())

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
            insert_in_pieces(cursor, text, fmt, first=STREAM_LINE_CHARS - cursor.block().length())
        else:
            cursor.insertText(text, fmt)

    def _replace_tail(self, finished: str, *, final: bool, partial: bool = False) -> None:
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
        if has_huge_line(finished):
            insert_in_pieces(cursor, finished, char_format())
        elif finished.strip():
            rendered = render_markdown(finished, self.colours, message_id=message_id,
                                       code_base=len(codes), copy_label=self.tr("Copy"),
                                       partial=partial)
            codes.extend(rendered.codes)
            cursor.insertHtml(SPACER + rendered.html)
        if not final:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail = QTextCursor(cursor)
            self._tail.setKeepPositionOnInsert(True)
            if self._splitter.pending:
                insert_in_pieces(cursor, self._splitter.pending, self._tail_format())
        cursor.endEditBlock()
        self._stamp(message_id, start, self._end().position())

    def _tail_format(self) -> QTextCharFormat:
        if not self._splitter.in_fence:
            return char_format()
        fmt = char_format()
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
            cursor.mergeBlockFormat(block_format(top=18))

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


"""The transcript: every message as a run of blocks in one document, so selection and
copying work across messages, while a streaming reply only ever touches its tail.

Costs are kept flat:
- a chunk appends plain text at the end (ChatService sends at most one per frame);
- a finished Markdown block (paragraph, closed fence) is rendered once, replacing the
  plain tail it came from; the unfinished tail stays plain text until it finishes;
- opening a conversation renders the newest page at once and one more above it; older
  pages come when the user scrolls near the top of what is loaded, or when something
  needs them (Ctrl+Home, find, select-all, a search hit), so first paint and memory do
  not grow with the conversation's length (paging.py);
- a big reply (a megabyte of code, a huge table) is written a few pieces per event-loop
  turn after its first screenful (slicing.py), so no single step grows with it.
No message is a QTextFrame or table: every frame in a document makes each later edit
re-lay out all of them, which turns a long conversation quadratic.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QTextBrowser, QWidget

from opchat_gui.core.messages import CUT_SHORT_STATES, Message, MessageState
from opchat_gui.render.bidi import marked_plain
from opchat_gui.render.colours import DARK, LIGHT, TranscriptColours, colours_from_theme
from opchat_gui.render.stream_blocks import BlockSplitter, one_fence_each
from opchat_gui.ui import theme as themes
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.transcript import older_hint
from opchat_gui.ui.transcript.actions import MessageActions
from opchat_gui.ui.transcript.column import Bubbles, fit_column, flatten_spacer
from opchat_gui.ui.transcript.context_marker import ContextMarker
from opchat_gui.ui.transcript.files import OPEN as FILE_OPEN
from opchat_gui.ui.transcript.files import SCHEME as FILE_SCHEME
from opchat_gui.ui.transcript.files import FileThumbnails
from opchat_gui.ui.transcript.icon_links import icon_image
from opchat_gui.ui.transcript.index import MessageIndex
from opchat_gui.ui.transcript.jump import JumpToLatest
from opchat_gui.ui.transcript.link_focus import LinkFocus
from opchat_gui.ui.transcript.math import SCHEME as MATH_SCHEME
from opchat_gui.ui.transcript.math import MathImages, selection_text
from opchat_gui.ui.transcript.paging import FIRST_PAGE, Loader, Pager
from opchat_gui.ui.transcript.slicing import Slicer
from opchat_gui.ui.transcript.stream_bar import StreamBar
from opchat_gui.ui.transcript.tail import (
    appends_as_text,
    open_fence,
    plain_paragraph,
    shows_formatted,
    without_fence_line,
)
from opchat_gui.ui.transcript.text import (
    SLICED_CHARS,
    STREAM_LINE_CHARS,
    char_format,
    drop_spacer,
    edit_block,
    has_huge_line,
    insert_in_pieces,
    render_markdown,
    render_pieces,
    stamp_text,
)
from opchat_gui.ui.transcript.thinking import KIND as THINKING
from opchat_gui.ui.transcript.thinking import LiveThinking
from opchat_gui.ui.transcript.tool_block import KIND as TOOL
from opchat_gui.ui.transcript.wide_table import WideTables, source_of
from opchat_gui.ui.transcript.writer import MessageWriter

_stamp_text = stamp_text  # the name tests/unit/test_i18n.py knows it by

WHOLE_KEYS = (QKeySequence.StandardKey.SelectAll, QKeySequence.StandardKey.MoveToStartOfDocument,
              QKeySequence.StandardKey.SelectStartOfDocument)
OBJECT = "\ufffc"  # how an image (an action icon) stands in the text
FOLLOW_SLACK = 24  # pixels from the bottom that still count as "at the bottom"
WARM_UP_MS = 200  # after start-up: import the renderer before the first reply needs it
THINKING_TICK_MS = 1000  # the "Thinking… 12 s" line counts whole seconds
LOAD_MARGIN_SCREENS = 2  # older pages load when the view is this near the top of them


class Transcript(QTextBrowser):
    """The document, and when and where messages are written into it (a page, a live
    chunk, a redraw). How a message looks is `writer`'s, which message is where is
    `index`'s, opening is `pager`'s, what the user does to a message is `actions`'."""

    retryRequested = Signal()
    continueRequested = Signal()  # Continue a cut-off reply (actions.CONTINUE)
    messageActionRequested = Signal(str, int)  # action name, message id (see MessageActions)
    branchRequested = Signal(int, int)  # message id, -1 or +1: show that sibling instead
    attachmentRequested = Signal(object)  # Attachment: open it full size
    opened = Signal()  # another conversation (or none) is on show: what waited is dropped

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setAccessibleName(self.tr("Transcript"))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDocumentMargin(18)
        self.document().setUndoRedoEnabled(False)
        self.bar = StreamBar()  # (repainted less while a reply streams: stream_bar.py)
        self.setVerticalScrollBar(self.bar)
        # The viewport is opaque (its background filled by Qt: _keep_opaque), so a scroll
        # moves what is on screen and repaints only the strip it uncovers: following a
        # stream scrolls every frame, and repainting the whole view each time was most of
        # a frame's paint.
        self._keep_opaque()
        colours = DARK if self.palette().color(QPalette.ColorRole.Base).lightness() < 128 \
            else LIGHT
        self.theme: themes.Theme = themes.DARK if colours.dark else themes.LIGHT
        self.follow_stream = True  # the "follow the stream" setting
        self.index = MessageIndex()
        self.pager = Pager(self, self, self.index)
        self.actions = MessageActions(self, self.index)
        self.actions.open_code = self._open_code
        self.math = MathImages(self, self.index, lambda: self.writer.colours,
                               lambda message_id: self._rewrite(self.index.messages[message_id]))
        self.files = FileThumbnails()  # the window sets where attachments come from
        self.writer = MessageWriter(self.index, self.actions.footer_links, colours, self.math,
                                    self.files)
        self.slicer = Slicer(self.document(), self.writer.insert_piece, self._stamp_piece,
                             self._keep_view, self)
        self.writer.slicer = self.slicer
        # The end stays in view while a big reply's pieces come in, from an open at the
        # end until the user scrolls (what else settles after the open, like the icons'
        # sizes, may leave the bar a little above its end).
        self._keep_end = False
        self.verticalScrollBar().actionTriggered.connect(self._scrolled_by_user)
        self.verticalScrollBar().valueChanged.connect(self._load_older_if_near)
        self._hint_painted = False  # the "Loading older messages…" label is on screen
        self._held_keys: list[QKeyEvent] = []  # pressed while everything loads for them
        self.verticalScrollBar().valueChanged.connect(self._hint_follows)
        self.pager.loaded.connect(self._older_loaded)
        self.actions.load_older = self._load_older_now
        self.actions.retryRequested.connect(self.retryRequested)
        self.actions.continueRequested.connect(self.continueRequested)
        self.actions.messageActionRequested.connect(self.messageActionRequested)
        self.actions.branchRequested.connect(self.branchRequested)
        self.live_text: Callable[[int], str | None] = lambda _id: None  # a stream so far
        self.live_reasoning: Callable[[int], str | None] = lambda _id: None  # its thinking
        self.actions.foldRequested.connect(self.toggle_fold)
        self.anchorClicked.connect(self._on_anchor)
        self._streaming_id: int | None = None
        self._splitter = BlockSplitter()
        self._tail = QTextCursor(self.document())
        # (document length, how much of the open block is on screen) when it was last
        # shown formatted: words that come next may go straight to the end (tail.py).
        self._formatted_end: tuple[int, int] | None = None
        # How much of the open block is on show as an open fence's code (tail.open_fence);
        # None: the tail is no open fence.
        self._fence_shown: int | None = None
        self.tables = WideTables(self, self.palette, lambda: (
            self.theme.muted, self.theme.link if self.hasFocus() else ""))
        self.tables.install(self.document())
        self._dragging: str | None = None  # the table whose indicator is being dragged
        self.bubbles = Bubbles(self, self.index, lambda: self.writer.colours.user_bg)
        self.context_marker = ContextMarker(self, self.index,
                                            lambda: (self.theme.muted, self.theme.base))
        fit_column(self)
        flatten_spacer(self)
        self.link_focus = LinkFocus(self, lambda: self.theme)
        self._thinking: LiveThinking | None = None  # the streaming reply's, until it folds
        self._answered = False  # the streaming reply's answer has begun
        self._think_timer = QTimer(self)
        self._think_timer.setInterval(THINKING_TICK_MS)
        self._think_timer.timeout.connect(self._tick_thinking)
        self.jump = JumpToLatest(self, self._at_bottom, self.scroll_to_end, lambda: self.theme)
        # Load markdown-it and pygments once the window is up, not in the first reply.
        QTimer.singleShot(WARM_UP_MS, self, self._warm_up)

    # What the window reads and sets (the index holds it)

    @property
    def messages(self) -> dict[int, Message]:
        return self.index.messages

    @property
    def order(self) -> list[int]:
        return self.index.order

    @property
    def forks(self) -> dict[int, tuple[int, int]]:
        """Message id -> (place, count) among its siblings; the window sets it before
        `open` (and `redraw_from` replaces it)."""
        return self.index.forks

    @forks.setter
    def forks(self, forks: dict[int, tuple[int, int]]) -> None:
        self.index.forks = forks

    @property
    def colours(self) -> TranscriptColours:
        return self.writer.colours

    @property
    def fully_loaded(self) -> bool:
        """Every message of the conversation is in the view, whole (big replies' pieces
        included)."""
        return self.pager.fully_loaded and not self.slicer.busy

    @property
    def settled(self) -> bool:
        """Opening (or the last older page asked for) is done: nothing is being loaded or
        written in the background now; older messages may still wait to be scrolled to."""
        return self.pager.settled and not self.slicer.busy

    def _warm_up(self) -> None:
        render_markdown("*a*\n\n```python\nx = 1\n```\n", self.colours)
        render_pieces("x", self.colours, message_id=0, codes=[])  # (a generator: imports)

    # Opening a conversation

    def show_messages(self, messages: list[Message]) -> None:
        """Show exactly these messages (all at once; for short lists and tests)."""
        self.open(lambda before, limit: [] if before is not None else messages)

    def open(self, loader: Loader) -> None:
        """Render the newest messages now; older ones follow in batches at the top."""
        self.pager.stop()
        self._held_keys = []  # (they were for the conversation left)
        self.slicer.cancel_all()
        self.clear()
        fit_column(self)
        flatten_spacer(self)
        self.index.clear()
        self.math.clear()
        self.math.defer_this_turn()
        self._stream_gone()
        self.pager.open(loader)
        self.opened.emit()

    def load_all(self) -> None:
        """Render every older message, and what big replies still wait to write, now, in
        one step (tests, branch switches; the keys use `load_all_then`)."""
        self.pager.load_all()
        self.slicer.finish()

    def load_all_then(self, then: Callable[[], None]) -> None:
        """Render every older message in bounded background steps (no freeze, whatever the
        length), then what big replies still wait to write; `then` is called once the
        whole conversation is in (find, select-all). Never called if another opens."""
        def done() -> None:
            self.slicer.finish()
            then()
        self.pager.load_all_then(done)
        self._hint_follows()

    def load_down_to_then(self, message_id: int, then: Callable[[], None]) -> None:
        """Render older messages down to this one in the background steps, the view held
        at the top meanwhile (under the "Loading older messages…" label); `then` is called
        once it is in (a search hit on an old message). Never called if another opens."""
        if message_id in self.index or self.pager.fully_loaded:
            then()
            return
        def reached() -> None:
            self.pager.hold_top = False  # the pages still to come keep the message in view
            then()
        self._keep_end = False
        self.pager.hold_top = True
        self.pager.load_until_then(lambda message: message.id == message_id, reached)
        self.verticalScrollBar().setValue(0)
        self._hint_follows()

    def _load_older_if_near(self) -> None:
        """The view came near the top of what is loaded: the next older page follows."""
        if self.pager.fully_loaded or not self.isVisible():  # (hidden: nothing laid out)
            return
        bar = self.verticalScrollBar()
        margin = LOAD_MARGIN_SCREENS * self.viewport().height()
        if bar.value() >= margin:  # (cheap: this runs on every scroll and streamed chunk)
            return
        self.document().documentLayout().documentSize()  # laid out lazily: the range now
        if bar.value() < margin:
            self.pager.want_more()
            self._hint_follows()

    def _older_loaded(self) -> None:
        self._hint_follows()  # the label goes
        self._load_older_if_near()

    def _load_older_now(self) -> bool:
        """The message above the oldest loaded one, now (choosing messages with the
        keys). Whether one came."""
        before = len(self.index)
        self.pager.load_until(lambda _message: True)
        return len(self.index) > before

    def show_newest(self, messages: list[Message]) -> None:
        """The pager's first page, at the end of the (empty) document."""
        cursor = self._end()
        cursor.beginEditBlock()
        for message in messages:
            self.index.append(message, self.write_message(cursor, message))
        cursor.endEditBlock()
        self._scroll_to_bottom()
        self._keep_end = True

    def older_joined(self) -> None:
        """The pager moved older messages in: formulas they wait for can be patched, and
        big replies' pieces waiting there go on here."""
        self.math.joined()
        self.slicer.moved()

    # Live updates from ChatService

    def add_message(self, message: Message) -> None:
        if message.id in self.index:  # a reply that restarts (retry, regenerate)
            self.update_message(message)
            return
        follow = self._at_bottom()
        cursor = self._end()
        cursor.beginEditBlock()
        self.index.append(message, self.write_message(cursor, message))
        cursor.endEditBlock()
        if follow:
            self._scroll_to_bottom()
        else:
            self.jump.content_added()

    def append_reasoning(self, message_id: int, text: str) -> None:
        """Thinking of the reply streaming now: the "Thinking…" section grows at the end.
        Thinking that comes after the answer began (Continue) is kept, not shown live."""
        if message_id != self._streaming_id or self._answered or not text:
            return
        with self.bar.held():
            self._append_reasoning(message_id, text)

    def _append_reasoning(self, message_id: int, text: str) -> None:
        follow = self.follow_stream and self._at_bottom()
        if self._thinking is None:
            at = QTextCursor(self.document())  # not a copy: _tail keeps its place on insert
            at.setPosition(self._tail.position())
            self._thinking = LiveThinking(at, message_id, self.colours.muted)
            self._think_timer.start()
        self._thinking.append(text)
        if follow:
            self._scroll_to_bottom()
        else:
            self.jump.content_added()

    def append_chunk(self, message_id: int, text: str) -> None:
        if message_id != self._streaming_id:
            return
        with self.bar.held():
            self._append_chunk(text)

    def _append_chunk(self, text: str) -> None:
        self._answered = True
        if self._thinking is not None:  # the answer begins: the thinking folds
            self._fold_thinking()
        follow = self.follow_stream and self._at_bottom()
        end = self._formatted_end
        finished = self._splitter.feed(text)
        formatted = shows_formatted(self._splitter)
        if self._splitter.in_fence:
            shown = open_fence(self._splitter.pending)[2]
            if finished or self._fence_shown is None:
                self._replace_tail(finished, final=False)
            elif shown > self._fence_shown:
                self._append_plain(self._splitter.pending[self._fence_shown:shown])
                self._fence_shown = shown
        elif not formatted:
            if finished:
                self._replace_tail(finished, final=False)
            else:
                self._append_plain(text)
        elif not (not finished and end is not None
                  and end[0] == self.document().characterCount()
                  and appends_as_text(self._splitter.pending, end[1])
                  and self._append_words(self._splitter.pending[end[1]:].rstrip())):
            self._replace_tail(finished, final=False, formatted=True)
        self._formatted_end = ((self.document().characterCount(),
                                len(without_fence_line(self._splitter.pending).rstrip()))
                               if formatted else None)
        if follow:
            self._scroll_to_bottom()
        else:
            self.jump.content_added()

    def restream(self, message_id: int, thought_seconds: float) -> None:
        """The streaming reply's text moved between its answer and its thinking (the chat
        template opened the thinking: providers/reasoning.py): draw it again, once, from
        what the stream holds, the "Thinking…" seconds counted from its first token."""
        if message_id != self._streaming_id or message_id not in self.index:
            return
        follow = self._at_bottom()
        self._rewrite(self.index.messages[message_id])
        thought = self.live_reasoning(message_id)
        if thought:
            self.append_reasoning(message_id, thought)
            if self._thinking is not None:
                self._thinking.started = time.monotonic() - thought_seconds
                self._thinking.tick()
        live = self.live_text(message_id)
        if live:
            self.append_chunk(message_id, live)
        if follow:
            self._scroll_to_bottom()

    def update_message(self, message: Message) -> None:
        """A message changed (a reply finished, an edit, a restart): redraw only it."""
        if message.id not in self.index:
            return
        follow = self._at_bottom()
        if message.id == self._streaming_id and message.state != MessageState.STREAMING:
            if self._thinking is not None:  # it ended while thinking: fold, then say so
                self._fold_thinking()
            self.index.replace(message)
            self._replace_tail(self._splitter.finish(), final=True,
                               partial=message.state in CUT_SHORT_STATES)
            self._stream_gone()
            cursor = self._end()
            end_before = cursor.position()
            self.writer.footer(cursor, message)
            self.writer.stamp(self.document(), message, end_before, cursor.position())
            if message.tool_calls or self._after_tool(message):
                self._rewrite(message)  # a tool turn: drawn whole, as a reopen would
        else:
            self._rewrite(message)
        if follow:
            self._scroll_to_bottom()

    def _after_tool(self, message: Message) -> bool:
        parent = self.index.messages.get(message.parent_id or 0)
        return parent is not None and parent.role == "tool"

    def redraw_from(self, path: list[int], fetch: Callable[[list[int]], list[Message]],
                    forks: dict[int, tuple[int, int]]) -> int:
        """Another branch is on show: `path` is its message ids, first first. Everything
        from the first message that differs down is one range of the document: drop it and
        write the new branch's messages (`fetch`ed) below; nothing above is touched. The
        number of messages written."""
        order = self.index.order
        offset = path.index(order[0]) if order and order[0] in path else 0
        same = 0
        while (same < len(order) and offset + same < len(path)
               and order[same] == path[offset + same]):
            same += 1
        if order and order[0] not in path:  # the fork is above the pages drawn: the new
            # branch's newest messages, as many as were drawn; older ones load as on open
            same, offset = 0, max(0, len(path) - max(len(order), FIRST_PAGE))
            self.pager.restart_older()
            self.slicer.cancel_parked()
        self.index.forks = forks
        follow = self._at_bottom()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        if same < len(order):
            start = self.index.position(order[same]) or 0
            cursor.setPosition(max(0, start - 1))
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            if self._streaming_id in order[same:]:
                self._stream_gone()
            for message_id in order[same:]:
                self.math.forget(message_id)
                self.slicer.cancel(message_id)
            self.index.forget_from(same)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        written = fetch(path[offset + same:])
        for message in written:
            streaming = message.state == MessageState.STREAMING
            live = self.live_text(message.id) if streaming else None
            thought = self.live_reasoning(message.id) if streaming else None
            self.index.append(message, self.write_message(cursor, message))
            if thought:
                self.append_reasoning(message.id, thought)
            if live:
                self.append_chunk(message.id, live)
        cursor.endEditBlock()
        if follow:
            self._scroll_to_bottom()
        return len(written)

    def toggle_tool(self, message_id: int | None = None) -> bool:
        """Open or fold a tool call: the one given, else the chosen message if it is one,
        else the last call on show. Whether there was one."""
        if message_id is None:
            chosen = self.actions.selected
            if chosen is not None and chosen in self.index \
                    and self.index.messages[chosen].role == "tool":
                message_id = chosen
            else:
                last = self.index.last("tool")
                message_id = last.id if last is not None else None
        if message_id is None or message_id not in self.index:
            return False
        return self.toggle_fold(TOOL, message_id)

    def position_of(self, message_id: int) -> int | None:
        """Where the message starts in the document (search hits); renders the older
        messages down to it first (all of them when it is not on show)."""
        if message_id not in self.index:
            self.pager.load_until(lambda message: message.id == message_id)
            self.slicer.finish()
        return self.index.position(message_id)

    def shows(self, message_id: int) -> bool:
        return message_id in self.index

    def set_colours(self, colours: TranscriptColours) -> None:
        """Re-style every shown message (a theme change; never per chunk)."""
        if colours == self.writer.colours:
            return
        self.writer.colours = colours
        for message_id in list(self.index.order):
            if message_id != self._streaming_id:
                self._rewrite(self.index.messages[message_id])
        self.pager.restyle()  # older messages rendered but not moved in yet: again

    def set_theme(self, theme: themes.Theme) -> None:
        """The app's theme changed (ui/theme.py): re-style every message once."""
        self.theme = theme
        self.set_colours(colours_from_theme(theme))

    # Writing messages

    def write_message(self, cursor: QTextCursor, message: Message) -> QTextBlock:
        """Write a whole message at the cursor, in a new block; return its header block.
        The caller tells the index where it went (the pager writes into its own document)."""
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        start = cursor.block()
        self.writer.header(cursor, message)
        self._write_rest(cursor, message)
        self.writer.stamp(cursor.document(), message, start.position(), cursor.position(),
                          header=True)
        return start

    def _write_rest(self, cursor: QTextCursor, message: Message) -> None:
        """The body and footer, or for a streaming reply the plain tail chunks go to."""
        if message.state == MessageState.STREAMING and message.role != "tool":
            self._stream_gone()
            self._streaming_id = message.id
            self._splitter = BlockSplitter()
            self.index.codes[message.id] = []
            if message.reasoning:  # Continue: the kept part's thinking stays a folded line
                self.index.folds.set_open(THINKING, message.id, False)
                self.writer.thinking(cursor, message)
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail = QTextCursor(cursor)
            self._tail.setKeepPositionOnInsert(True)
        else:
            self.writer.body(cursor, message)
            self.writer.footer(cursor, message)

    def _rewrite(self, message: Message) -> None:
        """Redraw one message in place (its header block, so its start, is kept)."""
        self.slicer.cancel(message.id)  # its pieces still waiting belong to the old drawing
        cursor = self.index.range(message.id, self.document())
        start = cursor.selectionStart()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        cursor.setPosition(start)
        # The block left takes the format of the last one removed (a paragraph's margins
        # under the header of a reply whose answer turned out to be thinking): start clean.
        cursor.setBlockFormat(QTextBlockFormat())
        self.index.replace(message)
        self.writer.header(cursor, message)
        self._write_rest(cursor, message)
        cursor.endEditBlock()
        # Removing a range that runs to the end keeps the document's last block, not the
        # header's: its handle may now be a later block, so take the header block anew.
        self.index.replace(message, self.document().findBlock(start))
        self.writer.stamp(self.document(), message, start, cursor.position(), header=True)

    def _tail_format(self) -> QTextCharFormat:
        return self.writer.code_format() if self._splitter.in_fence else char_format()

    def _open_code(self, message_id: int) -> str | None:
        """The code of the reply's fence still streaming, as far as it shows; its Copy
        link copies this until the block is finished and indexed."""
        if message_id != self._streaming_id or not self._splitter.in_fence:
            return None
        _language, start, shown = open_fence(self._splitter.pending)
        return self._splitter.pending[start:shown].removesuffix("\n")

    def _append_plain(self, text: str) -> None:
        text = marked_plain(text)  # a bidi override must not reverse the tail meanwhile
        with edit_block(self.document()):
            cursor = self._end()
            fmt = self._tail_format()
            if cursor.block().length() + len(text) > STREAM_LINE_CHARS:
                # A huge unfinished line: relaying out one giant block per frame is
                # quadratic.
                insert_in_pieces(cursor, text, fmt,
                                 first=STREAM_LINE_CHARS - cursor.block().length())
            else:
                cursor.insertText(text, fmt)

    def _append_words(self, text: str) -> bool:
        """Words at the end of the formatted open block, in the format its text ends in:
        before the space Qt leaves after a rendered block, as a render would put them.
        Trailing spaces of the source wait, as a render drops them. False (nothing done)
        when the text ends in a link: the words would join it."""
        document = self.document()
        with edit_block(document):  # (its cursor moves: text.edit_block)
            cursor = self._end()
            while (cursor.position() > self._tail.position()
                   and document.characterAt(cursor.position() - 1) == " "):
                cursor.movePosition(QTextCursor.MoveOperation.PreviousCharacter)
            if cursor.charFormat().isAnchor():
                return False
            cursor.insertText(text)
        return True

    def _replace_tail(self, finished: str, *, final: bool, partial: bool = False,
                      formatted: bool = False) -> None:
        """Swap the tail for the rendered finished blocks plus the new tail: plain text,
        or (`formatted`) the open block rendered as if it ended here (tail.py)."""
        message_id = self._streaming_id
        assert message_id is not None
        start = self._tail.position()  # (its anchor moves on insert; only position is kept)
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        # (Inside the edit block: outside it a cursor that moves measures where it stands
        # on its line, and that shapes the line's text again, as paint and layout do.)
        cursor.setPosition(start)
        old_end: QTextCursor | None = None
        self._fence_shown = None
        if (len(finished) > SLICED_CHARS and self.slicer.enabled
                and not self.slicer.queued(message_id) and not has_huge_line(finished)):
            # A big block closed: its plain text goes a slice per turn, then its pieces
            # come in its place (slicing.py): removing a megabyte at once, or writing
            # before it, is a long step of its own.
            old_end = self._end()
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        # The block left at the cut takes the format of the last one removed: a list item
        # or heading of the open block's last rendering would linger as an empty bullet.
        if old_end is None:
            cursor.setBlockFormat(QTextBlockFormat())
        wrote = bool(finished)
        if not finished:
            pass  # only the open block changed
        elif has_huge_line(finished):
            insert_in_pieces(cursor, marked_plain(finished), char_format())
        elif old_end is None and not partial and not final:
            wrote = self._write_finished(cursor, finished, start, message_id)
        else:  # a big block waits its turn to be written (slicing.py): nothing here yet
            wrote = self.writer.markdown(cursor, finished, message_id, partial=partial,
                                         later=old_end is not None, fold=True)
        if wrote and old_end is None:
            drop_spacer(self.document(), start)  # margins as when the reply is reopened
        if old_end is not None:
            self.slicer.discard(message_id, start, old_end)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            start = cursor.position()  # (the pieces are stamped as they come)
        if final and finished and not wrote and cursor.block().length() == 1:
            cursor.deletePreviousChar()  # no empty line between the waiting pieces' place
            start = cursor.position()
        if not final:
            if wrote or cursor.position() != start:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail = QTextCursor(cursor)
            self._tail.setKeepPositionOnInsert(True)
            open_text = without_fence_line(self._splitter.pending) if formatted else ""
            paragraph = plain_paragraph(open_text) if formatted else None
            if self._splitter.in_fence:
                language, code, shown = open_fence(self._splitter.pending)
                self.writer.open_fence(cursor, message_id, language,
                                       self._splitter.pending[code:shown], fold=True)
                self._fence_shown = shown
            elif paragraph is not None:
                self.writer.paragraph(cursor, paragraph, fold=True)
            elif formatted:
                if not self.writer.markdown(cursor, open_text, message_id, partial=True,
                                            live=True):
                    self.writer.spacer(cursor)  # (what rendering nothing left)
            elif self._splitter.pending:
                insert_in_pieces(cursor, marked_plain(self._splitter.pending),
                                 self._tail_format())
            drop_spacer(self.document(), self._tail.position())  # where it will stay
        # Inside the edit block: the new blocks are laid out once, with their stamp.
        self.writer.stamp(self.document(), self.index.messages[message_id], start,
                          self._end().position())
        cursor.endEditBlock()

    def _write_finished(self, cursor: QTextCursor, finished: str, start: int,
                        message_id: int) -> bool:
        """The blocks an update finished, a run with one code fence at most at a time, each
        written as a slower stream would have written it (stream_blocks.one_fence_each):
        two fences in one run took the HTML importer, and a fast stream's update often
        finishes two."""
        wrote = False
        runs = one_fence_each(finished, self._splitter.cuts)
        for number, run in enumerate(runs):
            if wrote and run.strip():  # in a block of its own, as the next update's
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
                start = cursor.position()
            if self.writer.markdown(cursor, run, message_id, fold=True,
                                    more=number < len(runs) - 1):
                drop_spacer(self.document(), start)  # (as _replace_tail does)
                wrote = True
        return wrote

    def _stamp_piece(self, message_id: int, start: int, end: int) -> None:
        message = self.index.messages.get(message_id)
        if message is not None:
            self.writer.stamp(self.document(), message, start, end)

    def _keep_view(self, position: int) -> Callable[[], None]:
        """Before a big reply's pieces go in at `position`: what keeps the view right after
        (the end in view if it was, or what is on screen where it was)."""
        bar = self.verticalScrollBar()
        follow = self._at_bottom() or self._keep_end
        above = position < self.cursorForPosition(QPoint(0, 0)).position()
        from_bottom = bar.maximum() - bar.value()

        def restore() -> None:
            if follow:
                self._scroll_to_bottom()
                return
            if above:  # written above what is on screen: that stays put
                bar.setValue(bar.maximum() - from_bottom)
            self.jump.content_added()
        return restore

    def _scrolled_by_user(self, _action: int) -> None:
        self._keep_end = False

    # Thinking

    def _fold_thinking(self) -> None:
        """The live "Thinking…" section becomes one line; the answer's tail goes below."""
        thinking, self._thinking = self._thinking, None
        self._think_timer.stop()
        assert thinking is not None
        self._tail = thinking.fold()
        self._tail.setKeepPositionOnInsert(True)

    def _tick_thinking(self) -> None:
        if self._thinking is not None:
            self._thinking.tick()

    def _stream_gone(self) -> None:
        """No reply streams into the document any more (it ended, or left the view)."""
        self._streaming_id = None
        self._formatted_end = None
        self._fence_shown = None
        self._thinking = None
        self._answered = False
        self._think_timer.stop()

    def thinking_live(self) -> bool:
        """Whether a "Thinking…" section is growing now."""
        return self._thinking is not None

    def toggle_fold(self, kind: str, message_id: int) -> bool:
        """Open or close one folded section of a finished message (a click on its line,
        or a key); only that message is redrawn. Whether anything changed."""
        message = self.index.messages.get(message_id)
        if (message is None or message_id == self._streaming_id
                or (kind == THINKING and not message.reasoning)):
            return False
        self.index.folds.toggle(kind, message_id)
        bar = self.verticalScrollBar()
        value = bar.value()
        self._rewrite(message)
        if self.actions.selected == message_id:  # still chosen: the whole message selected
            self.setTextCursor(self.index.range(message_id, self.document()))
        bar.setValue(value)  # what was on screen stays put, the line included...
        start = self.index.position(message_id)
        if start is not None:  # ...unless the message's top is out of sight: bring it in
            top = QTextCursor(self.document())
            top.setPosition(start)
            rect = self.cursorRect(top)
            if rect.top() < 0 or rect.bottom() > self.viewport().height():
                bar.setValue(bar.value() + rect.top() - FOLLOW_SLACK)
        return True

    def toggle_thinking(self) -> bool:
        """The key: the chosen message's thinking, else the newest reply's that thought."""
        chosen = self.actions.selected
        candidates = [chosen] if chosen in self.index else list(reversed(self.index.order))
        for message_id in candidates:
            message = self.index.messages[message_id]
            if message.reasoning and message_id != self._streaming_id:
                return self.toggle_fold(THINKING, message_id)
        return False

    def thinking_open(self, message_id: int) -> bool:
        return self.index.folds.is_open(THINKING, message_id)

    def open_thinking_for(self, message_id: int, query: str) -> bool:
        """Open the message's thinking when the answer holds none of the query's words
        (a search hit in the thinking), so the find bar can show the hit."""
        message = self.index.messages.get(message_id)
        if message is None or not message.reasoning or self.thinking_open(message_id):
            return False
        answer = message.content.casefold()
        words = [word.casefold() for word in query.split()]
        if not words or any(word in answer for word in words):
            return False
        return self.toggle_fold(THINKING, message_id)

    # Where messages are

    def message_at(self, position: int) -> int | None:
        return self.index.message_at(self.document(), position)

    def select_message(self, message_id: int) -> None:
        """Select the whole message (search hits, find): Ctrl+C then copies it."""
        self.actions.reveal(message_id)

    def _end(self) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor

    def scroll_to_end(self) -> None:
        """Ctrl+End and the jump button: the latest message, and follow the stream again."""
        self.pager.hold_top = False
        self._scroll_to_bottom()
        self._keep_end = True

    def scroll_to_start(self) -> None:
        """Ctrl+Home: the first message. Older messages not loaded yet come in background
        steps, the view held at the top (under the "Loading older messages…" label), so a
        long conversation never freezes the window (10,000 messages take seconds to
        render)."""
        self._keep_end = False
        if self.pager.fully_loaded:
            self.slicer.finish()
        else:
            self.pager.hold_top = True
            self.load_all_then(lambda: None)
        self.verticalScrollBar().setValue(0)

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - FOLLOW_SLACK

    def _scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _on_anchor(self, url: QUrl) -> None:
        href = url.toString()
        if href.startswith(FILE_OPEN):  # an attachment's thumbnail or link: its row id
            number = href[len(FILE_OPEN):]
            attachment = self.files.shown.get(int(number)) if number.isdigit() else None
            if attachment is not None:
                self.attachmentRequested.emit(attachment)
            return
        self.actions.on_anchor(url)

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        """Nothing is ever loaded: model output may point anywhere. Formulas are drawn
        here, from their names (ui/transcript/math.py), and attachment thumbnails from the
        data folder (ui/transcript/files.py); no other name gives anything."""
        name = url.toString() if isinstance(url, QUrl) else str(url)
        if kind == QTextDocument.ResourceType.ImageResource.value \
                and name.startswith(MATH_SCHEME):
            return self.math.image(name)
        if kind == QTextDocument.ResourceType.ImageResource.value \
                and name.startswith(FILE_SCHEME):
            return self.files.image(name)
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return icon_image(name)  # a message action's icon, or None
        return None

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copying a selection gives each formula's LaTeX source, not an image."""
        mime = super().createMimeDataFromSelection()
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return mime
        text, math = selection_text(self.document(), cursor.selectionStart(),
                                    cursor.selectionEnd(), source_of)
        if not math and OBJECT not in mime.text():
            return mime
        if OBJECT in text:  # the action icons under messages are no text: drop them
            text = "\n".join(line for line in text.split("\n")
                              if not line.startswith(OBJECT) or line.strip(OBJECT + " "))
            text = text.replace(OBJECT, "")
        # Plain text only: the rich formats would name images of our own scheme, and
        # Qt's mime data fills them in lazily (so editing them does not stick).
        plain = QMimeData()
        plain.setText(text)
        return plain

    def resizeEvent(self, event: QResizeEvent) -> None:
        follow = self._at_bottom()  # the end stays in view when the window changes size
        fit_column(self)
        super().resizeEvent(event)
        if follow:
            self._scroll_to_bottom()
        self.jump.place()
        QTimer.singleShot(0, self, self._load_older_if_near)  # (a taller view, or shown)

    def paintEvent(self, event: QPaintEvent) -> None:
        # Each streamed update paints the strip its scroll uncovered, at the reply's end,
        # where no bubble is: only the text is painted then (Qt filled the background).
        area = event.rect()
        bubbles = self.bubbles.in_view(area)
        if bubbles or self.context_marker.message_id is not None:
            painter = QPainter(self.viewport())
            self.bubbles.paint(painter, bubbles)
            self.context_marker.paint(painter, area)
            painter.end()
        super().paintEvent(event)
        self.link_focus.paint()
        self._hint_painted = not self.pager.settled and older_hint.shown(self, True)
        if self._hint_painted:
            painter = QPainter(self.viewport())
            older_hint.paint(self, painter, lambda: self.theme)
            painter.end()

    def _hint_follows(self) -> None:
        """The view scrolls by moving what is on screen and painting the strip uncovered
        (an opaque viewport): the label, fixed over the viewport, would move with the
        text, so while it is (or was) up the whole viewport is painted again."""
        if self._hint_painted or older_hint.shown(self, not self.pager.settled):
            self.viewport().update()


    # Wide tables (wide_table.py): the wheel over one, keys while one has the keyboard

    def _table_under(self, event: QMouseEvent | QWheelEvent) -> str | None:
        return self.tables.at(self.document(), self._document_point(event))

    def wheelEvent(self, event: QWheelEvent) -> None:
        pixels, angle = event.pixelDelta(), event.angleDelta()
        sideways = pixels.x() or angle.x()
        if not sideways and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            sideways = pixels.y() or angle.y()  # Shift+wheel
        key = self._table_under(event) if sideways else None
        if key is not None:
            if pixels.x() or (pixels.y() and not angle.x()):
                delta = -float(pixels.x() or pixels.y())
            else:
                delta = -sideways / 120 * self.tables.wheel_step(self.document())
            if self.tables.scroll(key, delta):
                self.viewport().update()
            event.accept()  # the transcript itself never scrolls sideways
            return
        super().wheelEvent(event)

    def _document_point(self, event: QMouseEvent | QWheelEvent) -> QPointF:
        return event.position() + QPointF(self.horizontalScrollBar().value(),
                                          self.verticalScrollBar().value())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        active = self._table_under(event)
        if active != self.tables.active:
            self.tables.active = active
            self.viewport().update()
        point = self._document_point(event)
        if (active is not None and event.button() == Qt.MouseButton.LeftButton
                and self.tables.on_bar(active, point)):
            self._dragging = active  # the indicator: the table follows the pointer
            if self.tables.drag_to(active, point.x()):
                self.viewport().update()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging is not None:
            if self.tables.drag_to(self._dragging, self._document_point(event).x()):
                self.viewport().update()
            event.accept()
            return
        super().mouseMoveEvent(event)

    def focused_table(self) -> str | None:
        """The wide table the table keys move: the one clicked, else the chosen
        message's first."""
        if self.tables.active is not None:
            return self.tables.active
        chosen = self.actions.selected
        if chosen is None or chosen not in self.index:
            return None
        cursor = self.index.range(chosen, self.document())
        return self.tables.first_in(self.document(), cursor.selectionStart(),
                                    cursor.selectionEnd())

    def table_matches(self, needle: str) -> list[QTextCursor]:
        """Find (Ctrl+F) inside wide tables: each table holding the words, selected. Only
        a reply's Markdown makes one, with its pipes: only replies with a pipe (and the
        one streaming) are looked through, as scanning the document visits every object
        in it, each message's action icons too (0.3 s at 10,000 messages)."""
        document = self.document()
        found: list[QTextCursor] = []
        for message_id in self.index.order:
            message = self.index.messages[message_id]
            if message.role == "assistant" and ("|" in message.content
                                                or message_id == self._streaming_id):
                span = self.index.range(message_id, document)
                found += self.tables.matches(document, needle, span.selectionStart(),
                                             span.selectionEnd())
        return found

    def show_table_match(self, cursor: QTextCursor, needle: str) -> None:
        """A find match that is a wide table: scroll it to the cell that matched."""
        key = self.tables.key_at(self.document(), cursor.selectionStart())
        if key is not None and self.tables.reveal(key, needle):
            self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        whole = any(event.matches(key) for key in WHOLE_KEYS)
        if self._held_keys or (whole and not self.pager.fully_loaded):
            # Select-all and moves to the start need the first message in: it loads in the
            # background, and this key and those after it (Ctrl+C) act once it is all in.
            self._held_keys.append(event.clone())
            if len(self._held_keys) == 1:
                self.load_all_then(self._release_keys)
            event.accept()
            return
        if whole:
            self.slicer.finish()  # big replies' pieces still waiting: all of them now
        moves = {"table_scroll_left": -1.0, "table_scroll_right": 1.0}
        ends = {"table_start": False, "table_end": True}
        action = next((name for name in (*moves, *ends) if keymap.matches(name, event)), None)
        key = self.focused_table() if action is not None else None
        if action is not None and key is not None:
            self.tables.active = key
            if action in moves:
                self.tables.scroll(key, moves[action] * self.tables.step(self.document()))
            else:
                self.tables.scroll_to(key, ends[action])
            self.viewport().update()
            event.accept()
            return
        super().keyPressEvent(event)

    def _release_keys(self) -> None:
        """Everything is in: the keys held meanwhile act now, in the order pressed."""
        held, self._held_keys = self._held_keys, []
        for event in held:
            self.keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()  # a wide table's focus ring goes with the focus

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click on an action icon: its message is the one under the pointer."""
        if self._dragging is not None:  # the end of a drag on a table's indicator
            self._dragging = None
            event.accept()
            return
        self.actions.clicked_at = self.cursorForPosition(event.position().toPoint()).position()
        try:
            super().mouseReleaseEvent(event)  # emits anchorClicked for a link
        finally:
            self.actions.clicked_at = None

    def focusNextPrevChild(self, next: bool) -> bool:
        moved = super().focusNextPrevChild(next)  # Tab: the next link, if any
        self.link_focus.moved()
        return moved

    def _keep_opaque(self) -> None:
        """The viewport and the bar each paint all of their rectangle, so Qt paints
        nothing under them and a scroll moves the viewport's pixels.

        The viewport's background is filled by Qt in its palette's colour (the
        autofill, no Python painter when no bubble is in the area), which also makes it
        opaque for scrolling. The bar is opaque under the theme's style sheet, whose flat
        bar fills its rectangle in solid colours (Fusion's own bar does not): its move
        each streamed update then no longer repaints the window, its two containers, this
        frame and the bar's container under it first (five paints an update). Qt's style
        sheet style turns the viewport's autofill off (and styles its background) and
        clears the bar's flag whenever it polishes them, so this runs again after each
        (re)polish."""
        viewport = self.viewport()
        viewport.setAutoFillBackground(True)
        viewport.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        app = QApplication.instance()
        styled = isinstance(app, QApplication) and bool(app.styleSheet())
        self.verticalScrollBar().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, styled)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._keep_opaque()  # (the view is polished when the window first shows)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            # A new style sheet polishes this view before its children: the bar is
            # polished (and its flag cleared) after this returns.
            QTimer.singleShot(0, self, self._keep_opaque)
        if event.type() == QEvent.Type.FontChange:
            fit_column(self)  # the column is measured in em
            self.math.refresh()  # formulas follow the text size (zoom)

    def contextMenuEvent(self, event: object) -> None:
        self.actions.context_menu(event)  # type: ignore[arg-type]


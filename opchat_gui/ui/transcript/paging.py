"""Opening a conversation: the newest messages at once, older ones only when needed.

Why: every message in the document costs its text layout (~15 KB a message, which no Qt
call gives back; README, "Where B4's memory goes"), so a long conversation keeps only
what the user has been near in the document. Opening renders the newest page before the
first paint and one more page above it in the background; scrolling to within a margin
of the top of what is loaded asks for the next older page (`want_more`), and whatever
needs the whole conversation or a given older message (Ctrl+Home, find, select-all, a
search hit) loads it at once (`load_all`, `load_until`).

Older messages are rendered into a detached document (no view, so no layout cost), the
newest of them first at its top, a time-budgeted step per event-loop turn, and a whole
page is moved to the top of the transcript in one edit, the scroll bar compensated by
the height it added, so what is on screen stays where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextDocumentFragment
from PySide6.QtWidgets import QTextBrowser

from opchat_gui.core.messages import Message
from opchat_gui.ui.transcript.index import MessageIndex
from opchat_gui.ui.transcript.text import SLICED_CHARS

FIRST_PAGE = 30  # messages rendered before the first paint
FIRST_PAGE_CHARS = 60_000  # ...or fewer, when they are long
OLDER_PAGE = 100  # messages fetched per query, and moved in per page, when loading older
STEP_BUDGET = 0.012  # seconds of rendering per background step

Loader = Callable[[int | None, int], list[Message]]  # (older than this id, limit) -> oldest first


class Writer(Protocol):
    """What the pager needs of the view: its document, and writing messages."""

    def show_newest(self, messages: list[Message]) -> None: ...

    def write_message(self, cursor: QTextCursor, message: Message) -> QTextBlock: ...

    def older_joined(self) -> None: ...


class Pager(QObject):
    """Feeds a conversation into the view page by page; the index learns each message."""

    loaded = Signal()  # a load ended: older messages moved in (the view kept), or none left

    def __init__(self, view: QTextBrowser, writer: Writer, index: MessageIndex) -> None:
        super().__init__(view)
        self._view = view
        self._writer = writer
        self._index = index
        self._loader: Loader | None = None
        self._pending: list[Message] = []  # fetched, not yet rendered; newest last
        self._done = True  # nothing older is left to fetch
        self._detached: QTextDocument | None = None  # older messages being rendered
        self._detached_messages: list[tuple[Message, QTextBlock]] = []  # newest first
        self._wanted = 0  # older messages asked for and not rendered yet
        # Ctrl+Home: while the view stays at the very top, each page moved in keeps it
        # there (not what was on screen); over as soon as the view is anywhere else.
        self.hold_top = False
        self.budget = STEP_BUDGET  # seconds of rendering per background step
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self._render_older(self.budget))

    @property
    def fully_loaded(self) -> bool:
        """Every message is in the view: none left to fetch, to render, or to move in."""
        return self._done and not self._pending and not self._detached_messages

    @property
    def settled(self) -> bool:
        """Nothing is being loaded in the background now (older messages may be left:
        they come when scrolled to, or when something needs them)."""
        return not self._timer.isActive() and not self._detached_messages

    def open(self, loader: Loader) -> None:
        """Render the newest messages now (the view is empty); a page above them follows."""
        self.stop()
        self._loader = loader
        newest = loader(None, FIRST_PAGE)
        kept: list[Message] = []
        chars = 0
        for message in reversed(newest):
            # A big reply writes a screenful now and the rest in slices (slicing.py).
            cost = min(len(message.content), SLICED_CHARS)
            if kept and chars + cost > FIRST_PAGE_CHARS:
                break
            kept.append(message)
            chars += cost
        kept.reverse()
        self._writer.show_newest(kept)
        self._pending = newest[: len(newest) - len(kept)]
        self._done = len(newest) < FIRST_PAGE
        self.want_more()  # a margin above the first screen, before the user scrolls up

    def stop(self) -> None:
        """Drop what is not shown yet (another conversation opens)."""
        self._timer.stop()
        self._loader = None
        self._pending = []
        self._done = True
        self._wanted = 0
        self.hold_top = False
        self._drop_detached()

    def restart_older(self) -> None:
        """The top of the document changed (another branch was drawn from above it): what
        was fetched or rendered above it belongs to the old top; fetch anew when wanted."""
        self._timer.stop()
        self._pending = []
        self._wanted = 0
        self.hold_top = False
        self._drop_detached()
        self._done = self._loader is None

    def want_more(self) -> None:
        """The view is near the top of what is loaded: render the next older page in the
        background (nothing happens while one is on its way, or when all are in)."""
        if self.fully_loaded or self._wanted > 0:
            return
        self._wanted = OLDER_PAGE
        self._timer.start(0)

    def load_all(self) -> None:
        """Render every older message now (before a whole-transcript search or copy)."""
        self.load_until(lambda _message: False)

    def load_until(self, found: Callable[[Message], bool]) -> None:
        """Render older messages now, up to the first (going up) for which `found` holds,
        or all of them; they move in with one edit at the top."""
        self._timer.stop()
        while not self.fully_loaded:
            message = self._next_older()
            if message is None:
                break
            self._write_detached(message)
            if found(message):
                break
        self._wanted = 0
        self._flush()
        self.loaded.emit()

    def _next_older(self) -> Message | None:
        """The next older message to render (fetching a page when none is pending)."""
        if not self._pending and not self._done and self._loader is not None:
            oldest = (self._detached_messages[-1][0].id if self._detached_messages
                      else self._index.oldest())
            page = self._loader(oldest, OLDER_PAGE)
            self._done = len(page) < OLDER_PAGE
            self._pending = page
        if not self._pending:
            self._done = True
            return None
        return self._pending.pop()

    def _render_older(self, budget: float) -> None:
        """Render wanted older messages into the detached document until the budget is
        spent; move them to the top of the view once the page is complete."""
        started = perf_counter()
        while self._wanted > 0:
            message = self._next_older()
            if message is None:
                break
            self._write_detached(message)
            self._wanted -= 1
            if self._wanted > 0 and perf_counter() - started >= budget:
                self._timer.start(0)
                return
        self._wanted = 0
        self._flush()
        self.loaded.emit()

    def _write_detached(self, message: Message) -> None:
        if self._detached is None:
            self._detached = QTextDocument(self)
            self._detached.setUndoRedoEnabled(False)
        cursor = QTextCursor(self._detached)  # its start: older than all it holds
        self._detached_messages.append((message, self._writer.write_message(cursor, message)))

    def _drop_detached(self) -> None:
        if self._detached is not None:
            self._detached.deleteLater()
        self._detached = None
        self._detached_messages = []

    def _flush(self) -> None:
        """Move the detached older messages to the top of the view, in one edit; what is
        on screen stays where it was (the bar moves down by the height they add), or the
        top stays in view while `hold_top` (Ctrl+Home)."""
        if self._detached is None or not self._detached_messages:
            self._drop_detached()
            self.hold_top = self.hold_top and not self.fully_loaded
            return
        bar = self._view.verticalScrollBar()
        document = self._view.document()
        # Qt lays a big change out lazily, a slice per timer tick, growing the scroll range
        # as it goes: what is on screen would slide down. documentSize() finishes the
        # layout now, before the bar is read and after the insertion, so it moves once.
        document.documentLayout().documentSize()
        from_bottom = bar.maximum() - bar.value()
        at_top = self.hold_top and bar.value() == 0
        # Both documents start with an empty spacer block, so positions carry over as is.
        older = [(message, start.position()) for message, start
                 in reversed(self._detached_messages)]
        QTextCursor(document).insertFragment(QTextDocumentFragment(self._detached))
        document.documentLayout().documentSize()
        self._index.join_older(older, document)
        self._drop_detached()
        self._writer.older_joined()
        bar.setValue(0 if at_top else bar.maximum() - from_bottom)
        self.hold_top = at_top and not self.fully_loaded

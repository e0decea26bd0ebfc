"""Opening a conversation: the newest messages at once, older ones only when needed.

Why: every message in the document costs its text layout (~15 KB a message, which no Qt
call gives back; README, "Where B4's memory goes"), so a long conversation keeps only
what the user has been near in the document. Opening renders the newest page before the
first paint and one more page above it in the background; scrolling to within a margin
of the top of what is loaded asks for the next older page (`want_more`), and whatever
needs the whole conversation (Ctrl+Home, find, select-all) loads the rest in the same
background steps and is called back once it is all in (`load_all_then`); a search hit
loads down to its message the same way (`load_until_then`), Alt+Up the one message above
at once (`load_until`).

Older messages are rendered into a detached document (no view, so no layout cost), the
newest of them first at its top, a time-budgeted step per event-loop turn, and moved to
the top of the transcript in one edit, in a turn of its own, the scroll bar compensated
by the height they added, so what is on screen stays where it is. A move costs the
layout of what moves in (about 0.1 ms a message) plus re-placing every block below it
(about 5 us a message): moving a page of 100 at a time into 10,000 messages was
quadratic (12 s), moving everything at once one long freeze, so a load of everything
moves pieces that grow with what is loaded (`MOVE_SHARE`, up to `MOVE_MAX`): about 70
moves for 10,000 messages, each under 50 ms up to about 3,000 loaded; beyond, re-placing
what is below sets the floor (about 60 ms at 9,000). A move is a step of its own, the
last one too, and what waited for the load runs in the step after it.
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
MOVE_SHARE = 0.05  # loading everything: a piece moves in at this share of what is loaded
MOVE_MAX = 200  # ...up to this many (the layout of one is about 0.1 ms: ~20 ms a move)

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
        self._all = False  # ...or all of them (load_all_then)
        self._move_due = False  # a piece is rendered: the next step moves it in
        self._then: list[Callable[[], None]] = []  # called once everything is in
        # load_until_then: (the message wanted, called once it is in), still to render,
        # and rendered (in the detached document: the next step moves them in, then calls).
        self._until: list[tuple[Callable[[Message], bool], Callable[[], None]]] = []
        self._reached: list[tuple[Callable[[Message], bool], Callable[[], None]]] = []
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

    @property
    def rendered_aside(self) -> int:
        """Older messages rendered into the detached document, not moved in yet."""
        return len(self._detached_messages)

    @property
    def loading_all(self) -> bool:
        """Everything was asked for (Ctrl+Home, find, select-all) and is on its way."""
        return self._all

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
        self._all = False
        self._move_due = False
        self._then = []  # what waited belongs to the conversation left
        self._until = []
        self._reached = []
        self.hold_top = False
        self._drop_detached()

    def restart_older(self) -> None:
        """The top of the document changed (another branch was drawn from above it): what
        was fetched or rendered above it belongs to the old top; fetch anew when wanted."""
        self._timer.stop()
        self._pending = []
        self._wanted = 0
        self._move_due = False
        self.hold_top = False
        self._drop_detached()
        self._done = self._loader is None
        self._until += self._reached  # (they were rendered above the old top)
        self._reached = []
        if self._all or self._until:  # what waits still gets it, from the new top
            self._timer.start(0)

    def want_more(self) -> None:
        """The view is near the top of what is loaded: render the next older page in the
        background (nothing happens while one is on its way, or when all are in)."""
        if self.fully_loaded or self._wanted > 0 or self._all:
            return
        self._wanted = OLDER_PAGE
        self._timer.start(0)

    def load_all_then(self, then: Callable[[], None]) -> None:
        """Render every older message in the background steps; `then` is called once they
        are all in the view (at once when they are; never if another conversation opens)."""
        if self.fully_loaded:
            then()
            return
        self._then.append(then)
        if not self._all:
            self._all = True
            self._timer.start(0)

    def load_until_then(self, found: Callable[[Message], bool],
                        then: Callable[[], None]) -> None:
        """Render older messages in the background steps down to the first (going up) for
        which `found` holds, or all of them; `then` is called once it is in the view (or
        none is left). Never called if another conversation opens."""
        if self.fully_loaded:
            then()
            return
        self._until.append((found, then))
        if not self._timer.isActive():
            self._timer.start(0)

    def load_all(self) -> None:
        """Render every older message now, in one step (tests; the window uses
        `load_all_then`)."""
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
        self._move_due = False
        self._flush()
        self._finished()

    def restyle(self) -> None:
        """The colours changed (a theme): what was rendered but not moved in yet is in the
        old ones, so it is rendered again from its records (the view redraws the rest)."""
        if not self._detached_messages:
            return
        again = [message for message, _start in reversed(self._detached_messages)]
        self._pending.extend(again)  # (oldest first: they are all newer than those pending)
        if not self._all:
            self._wanted += len(again)
        self._move_due = False
        self._until += self._reached  # found again as they are rendered again
        self._reached = []
        self._drop_detached()
        self._timer.start(0)

    def _finished(self) -> None:
        """A load ended: say so, and call what waited for everything once it is in."""
        self.loaded.emit()
        if self.fully_loaded:
            self._all = False
            calls = [*self._then, *(then for _found, then in self._until + self._reached)]
            self._then, self._until, self._reached = [], [], []
            for call in calls:
                call()

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
        """One background step: render wanted older messages into the detached document
        until the budget is spent, or move a finished piece in (a step of its own)."""
        if self._move_due:
            self._move_due = False
            self._flush()
            self.loaded.emit()
            reached, self._reached = self._reached, []
            for _found, then in reached:
                then()
            self._timer.start(0)
            return
        started = perf_counter()
        while self._wanted > 0 or self._all or self._until:
            message = self._next_older()
            if message is None:
                break
            self._write_detached(message)
            self._wanted = max(0, self._wanted - 1)
            hits = [entry for entry in self._until if entry[0](message)]
            if hits:
                self._until = [entry for entry in self._until if entry not in hits]
                self._reached += hits
            if hits or ((self._all or self._until)
                        and len(self._detached_messages) >= self._piece()):
                self._move_due = True
                self._timer.start(0)
                return
            if ((self._wanted > 0 or self._all or self._until)
                    and perf_counter() - started >= budget):
                self._timer.start(0)
                return
        self._wanted = 0
        if self._detached_messages:  # the last piece moves in a step of its own too
            self._move_due = True
            self._timer.start(0)
            return
        self._flush()
        self._finished()

    def _piece(self) -> int:
        """How many rendered messages move in together while everything loads: a page,
        or a share of what is loaded once that is more."""
        return max(OLDER_PAGE, min(MOVE_MAX, int(len(self._index) * MOVE_SHARE)))

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

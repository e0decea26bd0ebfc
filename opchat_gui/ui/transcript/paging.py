"""Opening a conversation: the newest messages at once, older ones in the background.

Older messages are rendered into a detached document (no view, so no layout cost), the
newest of them first at its top, and moved to the top of the transcript in a few pieces
of growing size: Qt re-lays out the whole document after an insertion at its top, so
few moves keep the total work linear, and first paint does not grow with the length.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextDocumentFragment
from PySide6.QtWidgets import QTextBrowser

from opchat_gui.core.messages import Message
from opchat_gui.ui.transcript.index import MessageIndex
from opchat_gui.ui.transcript.text import SLICED_CHARS

FIRST_PAGE = 30  # messages rendered before the first paint
FIRST_PAGE_CHARS = 60_000  # ...or fewer, when they are long
OLDER_PAGE = 100  # messages fetched per query while loading older ones
FIRST_FLUSH = 200  # older messages moved into the transcript first; then FLUSH_GROWTH x more
FLUSH_GROWTH = 8
STEP_BUDGET = 0.012  # seconds of rendering per background step

Loader = Callable[[int | None, int], list[Message]]  # (older than this id, limit) -> oldest first


class Writer(Protocol):
    """What the pager needs of the view: its document, and writing messages."""

    def show_newest(self, messages: list[Message]) -> None: ...

    def write_message(self, cursor: QTextCursor, message: Message) -> QTextBlock: ...

    def older_joined(self) -> None: ...


class Pager(QObject):
    """Feeds a conversation into the view page by page; the index learns each message."""

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
        self._flush_at = FIRST_FLUSH
        self.budget = STEP_BUDGET  # seconds of rendering per background step
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self._render_older(self.budget))

    @property
    def fully_loaded(self) -> bool:
        """Every message is in the view: none left to fetch, to render, or to move in."""
        return self._done and not self._pending and not self._detached_messages

    def open(self, loader: Loader) -> None:
        """Render the newest messages now (the view is empty); older ones follow at the top."""
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
        self._done = not self._pending and len(newest) < FIRST_PAGE
        if not self.fully_loaded:
            self._timer.start(0)

    def stop(self) -> None:
        """Drop what is not shown yet (another conversation opens)."""
        self._timer.stop()
        self._loader = None
        self._pending = []
        self._done = True
        if self._detached is not None:
            self._detached.deleteLater()
        self._detached = None
        self._detached_messages = []
        self._flush_at = FIRST_FLUSH

    def load_all(self) -> None:
        """Render every older message now (before a whole-transcript search or copy)."""
        while not self.fully_loaded:
            self._render_older(budget=None)

    def _render_older(self, budget: float | None) -> None:
        """Render older messages into the detached document until the budget is spent;
        move them to the top of the view at FIRST_FLUSH, then each FLUSH_GROWTH x more."""
        started = perf_counter()
        while True:
            if not self._pending and not self._done and self._loader is not None:
                oldest = (self._detached_messages[-1][0].id if self._detached_messages
                          else self._index.oldest())
                page = self._loader(oldest, OLDER_PAGE)
                self._done = len(page) < OLDER_PAGE
                self._pending = page
            if not self._pending:
                self._done = True
                self._flush()
                return
            self._write_detached(self._pending.pop())
            if len(self._detached_messages) >= self._flush_at:
                self._flush()
                self._flush_at *= FLUSH_GROWTH
            if budget is not None and perf_counter() - started >= budget:
                self._timer.start(0)
                return

    def _write_detached(self, message: Message) -> None:
        if self._detached is None:
            self._detached = QTextDocument(self)
            self._detached.setUndoRedoEnabled(False)
        cursor = QTextCursor(self._detached)  # its start: older than all it holds
        self._detached_messages.append((message, self._writer.write_message(cursor, message)))

    def _flush(self) -> None:
        """Move the detached older messages to the top of the view, in one edit."""
        if self._detached is None or not self._detached_messages:
            return
        bar = self._view.verticalScrollBar()
        from_bottom = bar.maximum() - bar.value()
        # Both documents start with an empty spacer block, so positions carry over as is.
        older = [(message, start.position()) for message, start
                 in reversed(self._detached_messages)]
        QTextCursor(self._view.document()).insertFragment(QTextDocumentFragment(self._detached))
        self._index.join_older(older, self._view.document())
        self._writer.older_joined()
        self._detached_messages = []
        self._detached.deleteLater()
        self._detached = None
        bar.setValue(bar.maximum() - from_bottom)

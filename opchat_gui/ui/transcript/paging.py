"""Opening a conversation: the newest messages at once, older ones in the background.

Older messages are rendered into a detached document (no view, so no layout cost), the
newest of them first at its top, and moved to the top of the transcript in a few pieces
of growing size: Qt re-lays out the whole document after an insertion at its top, so
few moves keep the total work linear, and first paint does not grow with the length.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextCursor, QTextDocument, QTextDocumentFragment

from opchat_gui.core.messages import Message

if TYPE_CHECKING:
    from opchat_gui.ui.transcript.view import Transcript

FIRST_PAGE = 30  # messages rendered before the first paint
FIRST_PAGE_CHARS = 60_000  # ...or fewer, when they are long
OLDER_PAGE = 100  # messages fetched per query while loading older ones
FIRST_FLUSH = 200  # older messages moved into the transcript first; then FLUSH_GROWTH x more
FLUSH_GROWTH = 8
STEP_BUDGET = 0.012  # seconds of rendering per background step

Loader = Callable[[int | None, int], list[Message]]  # (older than this id, limit) -> oldest first


class PagedOpen:
    """The Transcript's opening and background loading (a mixin; state lives there)."""

    def show_messages(self: Transcript, messages: list[Message]) -> None:
        """Show exactly these messages (all at once; for short lists and tests)."""
        self.open(lambda before, limit: [] if before is not None else messages)

    def open(self: Transcript, loader: Loader) -> None:
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
    def fully_loaded(self: Transcript) -> bool:
        return self._older_done and not self._older_pending

    def load_all(self: Transcript) -> None:
        """Render every older message now (before a whole-transcript search or copy)."""
        while not self.fully_loaded:
            self._load_older_step(budget=None)

    def _load_older_step(self: Transcript, budget: float | None = STEP_BUDGET) -> None:
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

    def _write_detached(self: Transcript, message: Message) -> None:
        if self._detached is None:
            self._detached = QTextDocument(self)
            self._detached.setUndoRedoEnabled(False)
        cursor = QTextCursor(self._detached)  # its start: older than all it holds
        self._write(cursor, message, self._detached_starts)
        self._detached_ids.insert(0, message.id)

    def _flush_older(self: Transcript) -> None:
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

    def _render_page(self: Transcript, messages: list[Message]) -> None:
        if not messages:
            return
        cursor = self._end()
        cursor.beginEditBlock()
        for message in messages:
            self._write(cursor, message)
        cursor.endEditBlock()
        self.order += [m.id for m in messages]

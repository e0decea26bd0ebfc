"""Big replies written into the transcript a few pieces per event-loop turn.

Why: writing a megabyte of code into the document in one go froze the window for most
of a second (benchmarks/b6_big_content.py). A big reply comes as pieces
(render/slices.py): the first is written with the rest of its message, so the reply
shows at once; the others follow on a zero-timer, STEP_BUDGET of work at a time, where
the written part of the reply ends (a cursor that stays put while the footer and later
messages are written after it). Qt's cost of an insertion grows with what lies after
it, so pieces go in near the end of the document, where the newest messages are.

Between steps the document is whole as far as it goes: the user scrolls, selects and
types meanwhile, and a search finds what is in. A redraw of the reply, a branch switch
or another conversation drops the rest (`cancel`); `finish` writes all that is left at
once (before a whole-transcript search or copy, or Ctrl+Home). A reply on an older page
gets its first screenful in the pager's detached document and waits there (parked)
until the pager moves that page into the view (`moved`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextCursor, QTextDocument

if TYPE_CHECKING:
    from opchat_gui.render.slices import Piece

STEP_BUDGET = 0.008  # seconds of writing per event-loop turn
FIRST_HTML = 8_000  # characters of HTML written at once: about a screenful
DISCARD_CHARS = 128_000  # of replaced text removed per turn (Qt: ~40 ms a megabyte here)

Insert = Callable[[QTextCursor, "Piece", bool], None]  # (cursor, piece, first of its reply)


@dataclass
class _Job:
    at: QTextCursor  # where the reply's next piece goes
    queue: deque[Iterator[Piece]] = field(default_factory=deque)
    started: bool = True  # its first piece is in (it goes in as a whole reply would)
    parked: bool = False  # in the pager's detached document: waits for it to join (moved)
    # Text its pieces replace, from the block break after them to its end (discard()).
    garbage: tuple[QTextCursor, QTextCursor] | None = None

    def next_piece(self) -> Piece | None:
        while self.queue:
            piece = next(self.queue[0], None)
            if piece is not None:
                return piece
            self.queue.popleft()
        return None


class Slicer(QObject):
    """The replies still being written, oldest first, and the timer that writes them."""

    def __init__(self, document: QTextDocument, insert: Insert,
                 stamp: Callable[[int, int, int], None],
                 keep_view: Callable[[int], Callable[[], None]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._insert = insert
        self._stamp = stamp  # (message id, start, end): mark new blocks as the reply's
        # Before a step, with where it writes: gives what puts the view right after it.
        self._keep_view = keep_view
        self._jobs: dict[int, _Job] = {}
        self.enabled = True  # False: every reply is written whole, at once
        self.budget = STEP_BUDGET
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._step)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def moved(self) -> None:
        """The pager moved its detached document of older messages to the top of the
        view (positions carry over as they are): replies parked there go on here."""
        for job in self._jobs.values():
            if job.parked:
                at = QTextCursor(self._document)
                at.setPosition(min(job.at.position(), self._document.characterCount() - 1))
                at.setKeepPositionOnInsert(True)
                job.at, job.parked = at, False
                self._timer.start(0)

    def queued(self, message_id: int) -> bool:
        """Whether pieces of this reply wait: more of it must go after them."""
        return message_id in self._jobs

    def write(self, cursor: QTextCursor, message_id: int, pieces: Iterator[Piece], *,
              now: bool = True) -> bool:
        """Write the reply's first pieces (a screenful; none unless `now`) at the cursor
        and the rest later (a piece with nothing to show yet leaves its place to the later
        ones); if pieces of it wait already, these go after them. Whether the place at
        the cursor is the reply's (False: queued behind its earlier pieces, which are
        elsewhere). In the pager's detached document the rest waits for `moved`."""
        job = self._jobs.get(message_id)
        if job is not None:
            job.queue.append(pieces)
            self._timer.start(0)
            return False
        if not self.enabled:
            first = True
            for piece in pieces:
                if piece.html:
                    self._insert(cursor, piece, first)
                    first = False
            return True
        written = 0
        while now and written < FIRST_HTML:  # a screenful, unless a piece has nothing to show yet
            piece = next(pieces, None)
            if piece is None:
                return True
            if not piece.html:
                break
            self._insert(cursor, piece, not written)
            written += len(piece.html)
        # An older message in the pager's detached document waits there until it joins.
        parked = cursor.document() is not self._document
        at = QTextCursor(cursor.document())
        at.setPosition(cursor.position())
        at.setKeepPositionOnInsert(True)  # what is written after the reply stays after
        self._jobs[message_id] = _Job(at, deque([pieces]), started=bool(written),
                                      parked=parked)
        if not parked:
            self._timer.start(0)
        return True

    def discard(self, message_id: int, start: int, end: QTextCursor) -> None:
        """The text from `start` (where the reply's next piece goes) to `end` is what its
        pieces replace (a streamed block's plain text): it goes first, a slice per turn
        from its end (where Qt's edits are cheap). Removing a megabyte at once was the one
        long step left when a streamed block closed."""
        first = QTextCursor(self._document)
        first.setPosition(start)
        end.setKeepPositionOnInsert(True)  # what is written after it stays after it
        job = self._jobs.get(message_id)
        if job is None or job.garbage is not None:  # (written at once, or a second one)
            first.setPosition(end.position(), QTextCursor.MoveMode.KeepAnchor)
            first.removeSelectedText()
            return
        job.garbage = (first, end)
        self._timer.start(0)

    def cancel_parked(self) -> None:
        """The pager dropped its detached document (another branch from above the pages
        drawn): the replies parked there go with it."""
        for message_id in [m for m, job in self._jobs.items() if job.parked]:
            self.cancel(message_id)

    def cancel(self, message_id: int) -> None:
        """The reply is redrawn or gone: its pieces are dropped."""
        self._jobs.pop(message_id, None)
        if not self._jobs:
            self._timer.stop()

    def cancel_all(self) -> None:
        self._jobs.clear()
        self._timer.stop()

    def finish(self) -> None:
        """Write every waiting piece now (but those still parked in the pager's document)."""
        while any(not job.parked for job in self._jobs.values()):
            self._step(budget=None)

    def _step(self, budget: float | None = -1.0) -> None:
        started = perf_counter()
        limit = self.budget if budget == -1.0 else budget
        restore: Callable[[], None] | None = None
        while True:
            active = next(((key, job) for key, job in self._jobs.items() if not job.parked),
                          None)
            if active is None:
                break
            message_id, job = active
            if restore is None:
                restore = self._keep_view(job.at.position())
            if job.garbage is not None:
                self._discard_some(job)
                if limit is not None and perf_counter() - started >= limit:
                    break
                continue
            piece = job.next_piece()
            if piece is None:
                del self._jobs[message_id]
                continue
            if piece.html:
                cursor = QTextCursor(self._document)
                cursor.setPosition(job.at.position())
                start = cursor.position()
                cursor.beginEditBlock()
                self._insert(cursor, piece, not job.started)
                self._stamp(message_id, start, cursor.position())
                cursor.endEditBlock()
                job.at.setPosition(cursor.position())
                job.started = True
            if limit is not None and perf_counter() - started >= limit:
                break
        if limit is not None and any(not job.parked for job in self._jobs.values()):
            self._timer.start(0)
        if restore is not None:
            restore()

    def _discard_some(self, job: _Job) -> None:
        assert job.garbage is not None
        first, end = job.garbage
        cursor = QTextCursor(self._document)
        cursor.setPosition(end.position())
        cursor.setPosition(max(first.position(), end.position() - DISCARD_CHARS),
                           QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        if end.position() <= first.position():
            job.garbage = None

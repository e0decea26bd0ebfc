"""Which message is where in the transcript's document: the one record of its messages.

The view writes messages and keeps this up to date, the pager joins older pages at the
top, the actions read it; none of them keeps a copy of its own. Messages sit in the
document in `order` (oldest first), each a contiguous run of blocks from its header to
the next message's header, so "from this message down" is always one range of the
document: a later branch switch can drop that range and write the new branch below it.

A message's place is its header block: a QTextBlock keeps its position through edits
elsewhere at no cost, while every QTextCursor is updated on every edit.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextFormat

from opchat_gui.core.messages import Message
from opchat_gui.ui.transcript.folds import Folds

MESSAGE_ID = QTextFormat.Property.UserProperty + 1  # on every block of a message
BRANCH = "opchat:branch/"  # a footer link: <message id>/<-1 | 1>, the sibling before / after


class MessageIndex:
    def __init__(self) -> None:
        self.messages: dict[int, Message] = {}  # every message in the document
        self.order: list[int] = []  # their ids, oldest first (as in the document)
        self.codes: dict[int, list[str]] = {}  # message id -> its code blocks' raw text
        # Message id -> (its place among its siblings, how many), for those with siblings.
        self.forks: dict[int, tuple[int, int]] = {}
        self._starts: dict[int, QTextBlock] = {}  # message id -> its header block
        self.folds = Folds()  # the folded sections the user opened (thinking, ...)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self.messages

    def __len__(self) -> int:
        return len(self.order)

    # Changes, as the document changes

    def append(self, message: Message, start: QTextBlock) -> None:
        """The message was written at the end of the document, its header at `start`."""
        self.messages[message.id] = message
        self._starts[message.id] = start
        self.order.append(message.id)

    def join_older(self, older: Iterable[tuple[Message, int]], document: QTextDocument) -> None:
        """Older messages, oldest first, now head the document at these header positions."""
        ids: list[int] = []
        for message, position in older:
            self.messages[message.id] = message
            self._starts[message.id] = document.findBlock(position)
            ids.append(message.id)
        self.order[:0] = ids

    def replace(self, message: Message, start: QTextBlock | None = None) -> None:
        """A new record for a message already in place (redrawn at `start` if given)."""
        self.messages[message.id] = message
        if start is not None:
            self._starts[message.id] = start

    def forget_from(self, index: int) -> None:
        """The messages from `order[index]` down left the document (a branch switch)."""
        for message_id in self.order[index:]:
            self.messages.pop(message_id, None)
            self._starts.pop(message_id, None)
            self.codes.pop(message_id, None)
        del self.order[index:]

    def clear(self) -> None:
        """A new conversation: forks stay (the window sets them before it opens one)."""
        self.messages.clear()
        self.order.clear()
        self.codes.clear()
        self._starts.clear()
        self.folds.clear()

    # Questions

    def oldest(self) -> int | None:
        return self.order[0] if self.order else None

    def position(self, message_id: int) -> int | None:
        start = self._starts.get(message_id)
        return None if start is None else start.position()

    def header(self, message_id: int) -> QTextBlock | None:
        """The message's first block (its header line)."""
        return self._starts.get(message_id)

    def range(self, message_id: int, document: QTextDocument) -> QTextCursor:
        """A cursor selecting the message, from its header to just before the next one."""
        start = self._starts[message_id].position()
        index = self._index(message_id)
        if index + 1 < len(self.order):
            end = self._starts[self.order[index + 1]].position() - 1
        else:
            end = document.characterCount() - 1
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(max(start, end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def message_at(self, document: QTextDocument, position: int) -> int | None:
        value = document.findBlock(position).blockFormat().property(MESSAGE_ID)
        return int(value) if isinstance(value, int) and value in self.messages else None

    def last(self, role: str) -> Message | None:
        for message_id in reversed(self.order):
            message = self.messages[message_id]
            if message.role == role:
                return message
        return None

    def _index(self, message_id: int) -> int:
        index = bisect_left(self.order, message_id)  # ids grow with time: usually sorted
        if index < len(self.order) and self.order[index] == message_id:
            return index
        return self.order.index(message_id)

"""A reply's thinking in the transcript: live while the model thinks, one line after.

While thinking streams, the reply shows "▾ Thinking… 12 s" and the thinking below it,
appended at the end of the document like the answer's plain tail (the same per-frame
cost: nothing already written is touched, and the seconds are one short line rewritten
once a second). When the answer begins, or the reply ends first, the section folds to
"▸ Thought for 12 s" and its text leaves the document once. A finished reply is drawn
folded; opened, its thinking is plain text (never Markdown: it is the model's notes, and
rendering 100,000 characters of it would cost what the answer's rendering does).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QTextBlock, QTextBlockFormat, QTextCharFormat, QTextCursor

from opchat_gui.core.messages import Message, MessageState
from opchat_gui.core.text import fill
from opchat_gui.render.bidi import marked_plain
from opchat_gui.ui.transcript.folds import (
    body_block_format,
    fold_href,
    fold_line_format,
    fold_title,
    write_fold_line,
)
from opchat_gui.ui.transcript.index import MESSAGE_ID
from opchat_gui.ui.transcript.text import (
    STREAM_LINE_CHARS,
    char_format,
    insert_in_pieces,
    role_format,
)

KIND = "thinking"  # the fold kind (ui/transcript/folds.py)
translate = QCoreApplication.translate


def seconds_text(ms: int) -> str:
    return QLocale().toString(max(1, round(ms / 1000)))


def folded_title(reasoning_ms: int) -> str:
    """'Thought for 12 s', or 'Thought for a moment' when the time is not known."""
    if reasoning_ms <= 0:
        return translate("Transcript", "Thought for a moment")
    return fill(translate("Transcript", "Thought for %1 s"), seconds_text(reasoning_ms))


def live_title(elapsed: float) -> str:
    return fill(translate("Transcript", "Thinking… %1 s"), QLocale().toString(int(elapsed)))


def no_answer_text(message: Message) -> str:
    """What a reply that thought and never answered says, in its own words; '' otherwise."""
    if (message.role != "assistant" or not message.reasoning or message.content.strip()
            or message.state == MessageState.STREAMING):
        return ""
    return translate("Transcript", "No answer: the model was still thinking when the reply "
                     "ended. Its thinking is above.")


def write_thinking(cursor: QTextCursor, message: Message, colour: str, *,
                   opened: bool) -> None:
    """A finished reply's thinking: its fold line, and below it the text if open."""
    write_fold_line(cursor, folded_title(message.reasoning_ms), fold_href(KIND, message.id),
                    colour, opened=opened)
    if opened:
        cursor.insertBlock(body_block_format(), QTextCharFormat())
        insert_in_pieces(cursor, marked_plain(message.reasoning.strip()),
                         thinking_format(colour))


def thinking_format(colour: str) -> QTextCharFormat:
    """The thinking's own text: the model's words, set apart in the muted colour."""
    return role_format("muted", colour)


class LiveThinking:
    """The "Thinking…" section of the reply streaming now, from its first piece to its
    fold; it writes only at the end of the document and on its own title line."""

    def __init__(self, cursor: QTextCursor, message_id: int, colour: str) -> None:
        """Open the section at `cursor`: the empty block the answer would have begun in."""
        self.message_id = message_id
        self.colour = colour
        self.started = time.monotonic()
        self.text_length = 0
        self._href = fold_href(KIND, message_id)
        cursor.insertText(fold_title(live_title(0), True), fold_line_format(self._href, colour))
        self.title = cursor.block()
        fmt = body_block_format()
        fmt.setProperty(MESSAGE_ID, message_id)  # hit tests find the reply from its text
        cursor.insertBlock(fmt, QTextCharFormat())

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def append(self, text: str) -> None:
        """Plain text at the end, as the answer's tail is written (no re-layout of the rest)."""
        text = marked_plain(text)
        self.text_length += len(text)
        cursor = QTextCursor(self.title.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        fmt = thinking_format(self.colour)
        if cursor.block().length() + len(text) > STREAM_LINE_CHARS:
            insert_in_pieces(cursor, text, fmt, first=STREAM_LINE_CHARS - cursor.block().length())
        else:
            cursor.insertText(text, fmt)

    def tick(self) -> None:
        """The seconds on the title line: one short line rewritten, once a second."""
        self._set_title(fold_title(live_title(self.elapsed()), True))

    def fold(self) -> QTextCursor:
        """Fold to "▸ Thought for N s" (the text leaves the document, once); a cursor at
        the start of a new empty block below the line, where the answer goes."""
        ms = max(1, round(self.elapsed() * 1000))
        block = self.title
        line_format = block.blockFormat()
        cursor = QTextCursor(block.document())
        cursor.setPosition(block.position())
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.setBlockFormat(line_format)  # the block left is the text's last (indented)
        cursor.insertText(fold_title(folded_title(ms), False),
                          fold_line_format(self._href, self.colour))
        cursor.insertBlock(QTextBlockFormat(), char_format())
        return cursor

    def _set_title(self, title: str) -> None:
        block: QTextBlock = self.title
        cursor = QTextCursor(block.document())
        cursor.setPosition(block.position())
        cursor.setPosition(block.position() + block.length() - 1,
                           QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(title, fold_line_format(self._href, self.colour))

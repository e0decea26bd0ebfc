"""The transcript: messages as text blocks; a streaming reply only ever appends.

Chunks are inserted as plain text at the end of the document, so the cost of a chunk
does not depend on how long the conversation is. Errors show in place with a Retry
link (reachable with Tab, or with Ctrl+R from anywhere).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from opchat_gui.store import Message, MessageState

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
ROLE_COLOURS = {"user": "#2563eb", "assistant": "#059669", "system": "#7c3aed",
                "error": "#dc2626"}
STATE_NOTES = {
    MessageState.STOPPED: "Stopped.",
    MessageState.INTERRUPTED: "Interrupted: the app closed while this reply was streaming.",
}
FOLLOW_SLACK = 24  # pixels from the bottom that still count as "at the bottom"


class Transcript(QTextBrowser):
    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setAccessibleName(self.tr("Transcript"))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.document().setDocumentMargin(16)
        self._streaming_id: int | None = None
        self._last_id: int | None = None

    # Public API

    def show_messages(self, messages: list[Message]) -> None:
        self.clear()
        self._streaming_id = None
        self._last_id = None
        for message in messages:
            self.add_message(message)
        self._scroll_to_bottom()

    def add_message(self, message: Message) -> None:
        follow = self._at_bottom()
        cursor = self._end()
        if not self.document().isEmpty():
            cursor.insertBlock(_block(top=14))
        else:
            cursor.setBlockFormat(_block())
        cursor.insertText(self._role_label(message), _char(ROLE_COLOURS.get(message.role),
                                                           bold=True))
        stamp = datetime.fromtimestamp(message.created_at).strftime("%H:%M")
        cursor.insertText(f"  {stamp}", _char("#888888", size_delta=-1))
        cursor.insertBlock(_block(top=4))
        cursor.insertText(message.content, _char())
        self._last_id = message.id
        self._streaming_id = message.id if message.state == MessageState.STREAMING else None
        if message.state != MessageState.STREAMING:
            self._add_status(message)
        if follow:
            self._scroll_to_bottom()

    def append_chunk(self, message_id: int, text: str) -> None:
        if message_id != self._streaming_id:
            return
        follow = self._at_bottom()
        self._end().insertText(text, _char())
        if follow:
            self._scroll_to_bottom()

    def finish_message(self, message: Message) -> None:
        if message.id != self._streaming_id:
            return
        self._streaming_id = None
        follow = self._at_bottom()
        self._add_status(message)
        if follow:
            self._scroll_to_bottom()

    def shows(self, message_id: int) -> bool:
        return message_id in (self._streaming_id, self._last_id)

    # Internals

    def _role_label(self, message: Message) -> str:
        return {"user": self.tr("You"), "assistant": self.tr("Assistant"),
                "system": self.tr("System")}.get(message.role, self.tr("Error"))

    def _add_status(self, message: Message) -> None:
        cursor = self._end()
        if message.state == MessageState.FAILED:
            cursor.insertBlock(_block(top=6))
            cursor.insertText(message.error or self.tr("The reply failed."),
                              _char(ROLE_COLOURS["error"]))
            self._retry_link(cursor)
        elif message.state in STATE_NOTES:
            cursor.insertBlock(_block(top=6))
            cursor.insertText(self.tr(STATE_NOTES[message.state]), _char("#b45309", italic=True))
            self._retry_link(cursor)

    def _retry_link(self, cursor: QTextCursor) -> None:
        link = _char(ROLE_COLOURS["user"])
        link.setAnchor(True)
        link.setAnchorHref("action:retry")
        link.setFontUnderline(True)
        cursor.insertText("  ", _char())
        cursor.insertText(self.tr("Retry (Ctrl+R)"), link)
        cursor.setCharFormat(_char())

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

    def _on_anchor(self, url: QUrl) -> None:
        if url.toString() == "action:retry":
            self.retryRequested.emit()
        elif url.scheme().lower() in SAFE_SCHEMES:
            QDesktopServices.openUrl(url)


def _block(top: float = 0) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setTopMargin(top)
    return fmt


def _char(colour: str | None = None, *, bold: bool = False, italic: bool = False,
          size_delta: int = 0) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if colour:
        fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    if size_delta:
        fmt.setProperty(QTextCharFormat.Property.FontSizeAdjustment, size_delta)
    return fmt

"""The transcript: messages as text blocks; a streaming reply only ever appends.

Chunks are inserted as plain text at the end of the document, so the cost of a chunk
does not depend on how long the conversation is. Errors show in place with a Retry
link (reachable with Tab, or with Ctrl+R from anywhere).
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from opchat_gui.store import Message, MessageState
from opchat_gui.ui import theme as themes
from opchat_gui.ui.stream_status import reply_outcome

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
TEXT_ROLES = {"user": "user", "assistant": "assistant", "system": "system"}  # role -> colour
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
        self.theme: themes.Theme = themes.LIGHT
        self.follow_stream = True  # the "follow the stream" setting

    def set_theme(self, theme: themes.Theme) -> None:
        """Repaint what is shown in the new theme's colours (no re-render)."""
        self.theme = theme
        themes.recolour(self.document(), theme)

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
        cursor.insertText(self._role_label(message),
                          self._char(TEXT_ROLES.get(message.role, "error"), bold=True))
        stamp = QLocale().toString(QDateTime.fromSecsSinceEpoch(int(message.created_at)).time(),
                                   QLocale.FormatType.ShortFormat)
        cursor.insertText(f"  {stamp}", self._char("muted", size_delta=-1))
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
        follow = self.follow_stream and self._at_bottom()
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
        """A clear marker on a reply that did not finish: what happened, then Retry."""
        outcome = reply_outcome(message)
        if not outcome:
            return
        markers = {
            "stopped": ("■ " + self.tr("Stopped"), "warning",
                        self.tr("You stopped this reply; the part above is kept.")),
            "interrupted": ("⚠ " + self.tr("Interrupted"), "warning",
                            self.tr("The app closed while this reply was streaming.")),
            "cut_off": ("✂ " + self.tr("Cut off"), "warning", message.error),
            "failed": ("✖ " + self.tr("Failed"), "error",
                       message.error or self.tr("The reply failed.")),
        }
        title, role, detail = markers[outcome]
        cursor = self._end()
        cursor.insertBlock(_block(top=6))
        cursor.insertText(title, self._char(role, bold=True))
        cursor.insertText("  " + detail, self._char(role))
        self._retry_link(cursor)

    def _char(self, role: str, *, bold: bool = False, size_delta: int = 0) -> QTextCharFormat:
        fmt = themes.char_format(self.theme, role)
        if bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        if size_delta:
            fmt.setProperty(QTextCharFormat.Property.FontSizeAdjustment, size_delta)
        return fmt

    def _retry_link(self, cursor: QTextCursor) -> None:
        link = self._char("link")
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


def _char() -> QTextCharFormat:
    """Body text: no colour of its own, so it takes the palette's text colour."""
    return QTextCharFormat()

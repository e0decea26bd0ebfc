"""The multi-line message editor: Enter sends and Shift+Enter breaks the line, or (by the
send-key setting) Ctrl+Enter sends and Enter breaks the line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

MIN_LINES = 2
MAX_LINES = 10


class Composer(QPlainTextEdit):
    submitted = Signal(str)
    editLastRequested = Signal()  # Up in an empty composer
    pageRequested = Signal(int)  # PgUp (-1) / PgDown (1) while the draft fits
    filesGiven = Signal(list)  # local paths pasted or dropped (str)
    imageGiven = Signal(bytes)  # an image pasted from the clipboard, as PNG (or its own type)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAccessibleName(self.tr("Message"))
        self.setTabChangesFocus(True)
        # Grows with its text from MIN_LINES to MAX_LINES, then scrolls, like a chat box.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()
        self.send_key = ""
        self.set_send_key("enter")
        self.has_attachments: Callable[[], bool] = lambda: False  # sendable without text

    def set_send_key(self, send_key: str) -> None:
        """"enter": the keymap's send/newline keys; "ctrl_enter": Ctrl+Enter sends instead
        (and the send key adds a line). Call again after a rebinding: the placeholder
        names the current keys."""
        self.send_key = send_key
        if send_key == "ctrl_enter":
            send = QKeySequence("Ctrl+Enter").toString(QKeySequence.SequenceFormat.NativeText)
            newline = keymap.hint("send") or keymap.hint("newline")
        else:
            send, newline = keymap.hint("send"), keymap.hint("newline")
        if send and newline:
            self.setPlaceholderText(fill(self.tr("Type a message. %1 sends, %2 adds a line."),
                                         send, newline))
        else:
            self.setPlaceholderText(self.tr("Type a message."))

    def event(self, event: QEvent) -> bool:
        """An empty composer lets Ctrl+Home / Ctrl+End reach the window, which scrolls the
        transcript; with a draft they move in the draft as in any editor (the editor
        claims them as its standard keys before any window shortcut sees them)."""
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and not self.toPlainText()
                and (keymap.matches("scroll_start", event)
                     or keymap.matches("scroll_end", event))):
            event.ignore()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.send_key == "ctrl_enter":
            send = _is_ctrl_enter(event)
            newline = not send and (keymap.matches("send", event)
                                    or keymap.matches("newline", event))
        else:
            send, newline = keymap.matches("send", event), keymap.matches("newline", event)
        if newline:
            self.insertPlainText("\n")
            return
        if send:
            if self.toPlainText().strip() or self.has_attachments():
                self.submitted.emit(self.toPlainText())
            return
        if keymap.matches("edit_last", event) and not self.toPlainText():
            self.editLastRequested.emit()
            return
        # The focus lives here, so the page keys reach the transcript while they have
        # nothing to page through in the draft (a draft taller than the box keeps them).
        if self.verticalScrollBar().maximum() == 0:
            for name, step in (("page_up", -1), ("page_down", 1)):
                if keymap.matches(name, event):
                    self.pageRequested.emit(step)
                    return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or bool(_local_files(source)) \
            or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Ctrl+V or a drop: files and images become attachments, text goes in as text."""
        paths = _local_files(source)
        if paths:
            self.filesGiven.emit(paths)
            return
        # Text wins over a picture of it (office suites copy cells as text and as a PNG).
        if source.hasImage() and not source.text().strip():
            for mime in ("image/png", "image/jpeg"):  # the clipboard's own bytes: no encoding
                if source.hasFormat(mime) and not source.data(mime).isEmpty():
                    self.imageGiven.emit(bytes(source.data(mime).data()))
                    return
            from PySide6.QtCore import QBuffer, QByteArray, QIODevice  # not at start-up (B3)
            from PySide6.QtGui import QImage

            image = QImage(source.imageData())
            if not image.isNull():
                out = QByteArray()
                buffer = QBuffer(out)
                buffer.open(QIODevice.OpenModeFlag.WriteOnly)
                image.save(buffer, "PNG")  # type: ignore[call-overload]  # stubs say bytes
                self.imageGiven.emit(bytes(out.data()))
                return
        super().insertFromMimeData(source)

    def _fit(self) -> None:
        self.setFixedHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        # QPlainTextEdit's document layout measures height in visual lines.
        lines = int(self.document().documentLayout().documentSize().height())
        lines = max(MIN_LINES, min(MAX_LINES, lines))
        spacing = self.fontMetrics().lineSpacing()
        chrome = (int(self.document().documentMargin()) * 2 + self.frameWidth() * 2
                  + spacing // 2)  # half a line of slack keeps the scroll bar away
        return QSize(super().sizeHint().width(), lines * spacing + chrome)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def take_focus(self) -> None:
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)


def _local_files(source: QMimeData) -> list[str]:
    return [url.toLocalFile() for url in source.urls() if url.isLocalFile()] \
        if source.hasUrls() else []


def _is_ctrl_enter(event: QKeyEvent) -> bool:
    """Ctrl+Return or Ctrl+Enter (Cmd on macOS), with no other modifier but keypad."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and mods == Qt.KeyboardModifier.ControlModifier)

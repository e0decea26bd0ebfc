"""An attachment full size, in its own window: an image with zoom by the key map's viewer
keys (+ and - zoom, 0 fits the window, 1 is actual size; Esc closes) or Ctrl+wheel, or a
file's text as the model got it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.core.attachments import Attachment, size_phrase
from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.05, 16.0)


class AttachmentViewer(QDialog):
    def __init__(self, attachment: Attachment, data: bytes | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentViewer")
        self.setWindowTitle(fill(self.tr("%1 · %2"), attachment.name,
                                 size_phrase(attachment.size).render(QCoreApplication.translate)))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(900, 700)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.zoom = 1.0
        self.fitted = True
        self.image = QImage.fromData(data) if data is not None and attachment.kind == "image" \
            else QImage()
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setWidget(self.label)
        self.scroll.viewport().installEventFilter(self)
        self.hint = QLabel(keymap.hint_line(
            (self.tr("%1 zoom"), ("viewer_zoom_in", "viewer_zoom_out")),
            (self.tr("%1 fits"), ("viewer_fit",)),
            (self.tr("%1 is actual size"), ("viewer_actual_size",)),
            (self.tr("%1 closes"), ("stop",))))
        self.hint.setObjectName("viewerHint")
        self.hint.setContentsMargins(8, 4, 8, 4)
        if not self.image.isNull():
            layout.addWidget(self.scroll, 1)
            layout.addWidget(self.hint)
            self.setFocusProxy(self.scroll)
        else:
            text = QPlainTextEdit()
            text.setReadOnly(True)
            text.setPlainText(attachment.text if attachment.text else
                              self.tr("This file cannot be shown."))
            layout.addWidget(text, 1)
            self.setFocusProxy(text)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.image.isNull():
            self.fit()

    def fit(self) -> None:
        """Whole image in view, never enlarged past its own size."""
        area = self.scroll.viewport().size()
        if self.image.isNull() or area.width() < 2 or area.height() < 2:
            return
        self.fitted = True
        self._show(min(1.0, area.width() / self.image.width(),
                       area.height() / self.image.height()))

    def set_zoom(self, zoom: float) -> None:
        self.fitted = False
        self._show(zoom)

    def _show(self, zoom: float) -> None:
        self.zoom = max(ZOOM_RANGE[0], min(ZOOM_RANGE[1], zoom))
        size = self.image.size() * self.zoom
        scaled = self.image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.label.setPixmap(QPixmap.fromImage(scaled))
        self.label.resize(scaled.size())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.image.isNull():
            super().keyPressEvent(event)
        elif _matches("viewer_zoom_in", event):
            self.set_zoom(self.zoom * ZOOM_STEP)
        elif _matches("viewer_zoom_out", event):
            self.set_zoom(self.zoom / ZOOM_STEP)
        elif _matches("viewer_fit", event):
            self.fit()
        elif _matches("viewer_actual_size", event):
            self.set_zoom(1.0)
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(event, QWheelEvent)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            step = ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP
            self.set_zoom(self.zoom * step)
            return True
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitted and not self.image.isNull():
            self.fit()


def _matches(action: str, event: QKeyEvent) -> bool:
    """The key map's test, also for a symbol typed with Shift ("+" is Shift+= on many
    keyboards, and Qt reports the Shift)."""
    if keymap.matches(action, event):
        return True
    shift = Qt.KeyboardModifier.ShiftModifier
    if event.modifiers() & shift and event.text() and not event.text().isalnum():
        plain = QKeyEvent(event.type(), event.key(), event.modifiers() & ~shift, event.text())
        return keymap.matches(action, plain)
    return False

"""An attachment full size, in its own window: an image with zoom by keys (+ and - zoom,
0 fits the window, 1 is actual size, Esc closes) or the wheel with Ctrl, or a file's text
as the model got it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QKeySequence,
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

from opchat_gui.core.attachments import Attachment, human_size
from opchat_gui.core.text import fill

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.05, 16.0)


class AttachmentViewer(QDialog):
    def __init__(self, attachment: Attachment, data: bytes | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentViewer")
        self.setWindowTitle(fill(self.tr("%1 · %2"), attachment.name,
                                 human_size(attachment.size)))
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
        self.hint = QLabel(self.tr("+ and − zoom, 0 fits, 1 is actual size, Esc closes"))
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
        key = event.key()
        if self.image.isNull():
            super().keyPressEvent(event)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) or event.matches(
                QKeySequence.StandardKey.ZoomIn):
            self.set_zoom(self.zoom * ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore) or event.matches(
                QKeySequence.StandardKey.ZoomOut):
            self.set_zoom(self.zoom / ZOOM_STEP)
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key == Qt.Key.Key_1:
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

"""The composer's attachments as chips above it: a thumbnail for an image (a file mark
otherwise), the name and the size. Each chip takes the focus (Tab, or Shift+Tab from
the composer); the key map's remove_attachment key (Delete) or its × removes it, and
open_attachment (Enter) or a click opens it full size."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFocusEvent, QImage, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from opchat_gui.core.attachments import Attachment, size_phrase
from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

THUMB = 36  # pixels, a chip's thumbnail side
NAME_CHARS = 28  # longer names are cut in the middle


def short_name(name: str, limit: int = NAME_CHARS) -> str:
    if len(name) <= limit:
        return name
    half = (limit - 1) // 2
    return f"{name[:half]}…{name[-(limit - 1 - half):]}"


class Chip(QWidget):
    removeRequested = Signal(int)  # attachment id
    openRequested = Signal(object)  # Attachment

    def __init__(self, attachment: Attachment, data: bytes | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self.setObjectName("attachmentChip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        size = size_phrase(attachment.size).render(QCoreApplication.translate)
        self.setAccessibleName(fill(self.tr("Attachment %1, %2"), attachment.name, size))
        self.setToolTip(fill(self.tr("%1 · %2\n%3 opens it, %4 removes it"), attachment.name,
                             size, keymap.hint("open_attachment"),
                             keymap.hint("remove_attachment")))
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 3, 2, 3)
        row.setSpacing(6)
        self.thumb = QLabel()
        self.thumb.setObjectName("attachmentThumb")
        self.thumb.setFixedSize(THUMB, THUMB)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image = QImage.fromData(data) if data is not None and attachment.kind == "image" \
            else QImage()
        if not image.isNull():
            image = image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                 Qt.TransformationMode.SmoothTransformation)
            x, y = (image.width() - THUMB) // 2, (image.height() - THUMB) // 2
            self.thumb.setPixmap(QPixmap.fromImage(image.copy(x, y, THUMB, THUMB)))
        else:
            self.thumb.setText({"pdf": "PDF", "text": "TXT"}.get(attachment.kind, "?"))
        row.addWidget(self.thumb)
        self.label = QLabel(f"{short_name(attachment.name)}\n{size}")
        self.label.setObjectName("attachmentLabel")
        row.addWidget(self.label)
        self.remove = QToolButton()
        self.remove.setObjectName("attachmentRemove")
        self.remove.setText("×")
        self.remove.setAutoRaise(True)
        self.remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the chip's key does it
        self.remove.setToolTip(self.tr("Remove"))
        self.remove.setAccessibleName(self.tr("Remove"))
        self.remove.clicked.connect(lambda: self.removeRequested.emit(attachment.id))
        row.addWidget(self.remove)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if keymap.matches("remove_attachment", event):
            self.removeRequested.emit(self.attachment.id)
        elif keymap.matches("open_attachment", event):
            self.openRequested.emit(self.attachment)
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.focusNextPrevChild(event.key() == Qt.Key.Key_Right)
        else:
            super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.openRequested.emit(self.attachment)
        super().mouseReleaseEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.setProperty("focused", True)
        self.style().unpolish(self)
        self.style().polish(self)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.setProperty("focused", False)
        self.style().unpolish(self)
        self.style().polish(self)


class AttachmentChips(QWidget):
    """The row of chips; hidden when there are none."""

    removeRequested = Signal(int)  # attachment id
    openRequested = Signal(object)  # Attachment

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentChips")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 4)
        self.row.setSpacing(6)
        self.row.addStretch(1)
        self.chips: list[Chip] = []
        self.then: QWidget | None = None  # the widget Tab goes to from the last chip
        self.setVisible(False)

    def show_attachments(self, attachments: list[Attachment],
                         data: Callable[[str], bytes | None]) -> None:
        """Show these, keeping the focus on the chip in the same place (after a removal:
        the next one, else the previous, else the caller's focus)."""
        focused = next((n for n, chip in enumerate(self.chips) if chip.hasFocus()), None)
        for chip in self.chips:
            chip.hide()
            chip.deleteLater()
        self.chips = []
        for number, attachment in enumerate(attachments):
            chip = Chip(attachment, data(attachment.sha256) if attachment.kind == "image"
                        else None, self)
            chip.removeRequested.connect(self.removeRequested)
            chip.openRequested.connect(self.openRequested)
            self.row.insertWidget(number, chip)
            self.chips.append(chip)
        for first, second in zip(self.chips, [*self.chips[1:], self.then], strict=False):
            if second is not None:  # Shift+Tab from the composer reaches the last chip
                QWidget.setTabOrder(first, second)
        self.setVisible(bool(attachments))
        if focused is not None and self.chips:
            self.chips[min(focused, len(self.chips) - 1)].setFocus()

"""A user message's attachments in the transcript: a thumbnail for each image and a chip
(name and size) for each other file, each a link that opens it (a click, or Tab to it and
Enter). Thumbnails are image characters named `opchat-file:<sha256>`; the view's
loadResource answers that scheme from `data` (the chat service), scaled once and cached.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage, QTextCharFormat, QTextCursor, QTextImageFormat

from opchat_gui.core.attachments import Attachment, size_phrase
from opchat_gui.render.colours import TranscriptColours
from opchat_gui.ui.transcript.text import block_format, char_format, link_format

SCHEME = "opchat-file:"  # a thumbnail's image name
OPEN = "opchat-open-file:"  # a link that opens an attachment: OPEN + its row id
THUMB_SIDE = 160  # pixels, the longest side of a thumbnail in the transcript
CACHE = 64


class FileThumbnails:
    def __init__(self) -> None:
        self.attachments_of: Callable[[int], list[Attachment]] = lambda _id: []
        self.data: Callable[[str], bytes | None] = lambda _sha: None
        self.shown: dict[int, Attachment] = {}  # row id -> the attachment a link opens
        self._images: OrderedDict[str, QImage] = OrderedDict()

    def write(self, cursor: QTextCursor, message_id: int, colours: TranscriptColours) -> None:
        """The message's files in one block after its text (nothing if it has none)."""
        files = self.attachments_of(message_id)
        if not files:
            return
        pictures = [a for a in files if a.kind == "image"
                    and self.image(SCHEME + a.sha256) is not None]
        others = [a for a in files if a not in pictures]
        for row in (pictures, others):  # thumbnails on one line, the other files below
            if row:
                cursor.insertBlock(block_format(top=4), QTextCharFormat())
                self._row(cursor, row, colours)
        cursor.setCharFormat(char_format())

    def _row(self, cursor: QTextCursor, files: list[Attachment],
             colours: TranscriptColours) -> None:
        for number, attachment in enumerate(files):
            self.shown[attachment.id] = attachment
            href = f"{OPEN}{attachment.id}"
            size = size_phrase(attachment.size).render(QCoreApplication.translate)
            if number:
                cursor.insertText("   ", char_format())
            image = self.image(SCHEME + attachment.sha256) if attachment.kind == "image" \
                else None
            if image is not None and not image.isNull():
                fmt = QTextImageFormat()
                fmt.setName(SCHEME + attachment.sha256)
                fmt.setWidth(image.width())
                fmt.setHeight(image.height())
                fmt.setAnchor(True)
                fmt.setAnchorHref(href)
                fmt.setToolTip(f"{attachment.name} · {size}")
                cursor.insertImage(fmt)
            else:  # ▤: a page of lines, in every common font (emoji are not)
                cursor.insertText(f"▤ {attachment.name}", link_format(href, colours.link))
                cursor.insertText(f"  {size}", char_format(colours.muted, size=-1))

    def image(self, name: str) -> QImage | None:
        """The thumbnail for an `opchat-file:` name, or None (a missing or broken file)."""
        if not name.startswith(SCHEME):
            return None
        cached = self._images.get(name)
        if cached is not None:
            self._images.move_to_end(name)
            return cached
        data = self.data(name[len(SCHEME):])
        if data is None:
            return None
        image = QImage.fromData(data)
        if image.isNull():
            return None
        if max(image.width(), image.height()) > THUMB_SIDE:
            image = image.scaled(THUMB_SIDE, THUMB_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        self._images[name] = image
        if len(self._images) > CACHE:
            self._images.popitem(last=False)
        return image

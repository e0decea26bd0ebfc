"""Images made ready to send: decoded at most `max_side` pixels on the longest side and
re-encoded when the file would be large, so a 12-megapixel photo becomes a few hundred
kilobytes, not a 20 MB request. QImage is reentrant: this runs on a worker thread.

JPEGs are decoded straight at the smaller size (QImageReader.setScaledSize lets libjpeg
skip most of the work), so the cost is bounded by the output, not the photo.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

from opchat_gui.core.attachments import refused
from opchat_gui.core.text import QT_TRANSLATE_NOOP

KEEP_BYTES = 1024 * 1024  # a PNG or JPEG up to this size and within the side goes as it is
JPEG_QUALITY = 85
SENT_TYPES = frozenset({"image/png", "image/jpeg"})


@dataclass(frozen=True)
class Prepared:
    data: bytes
    mime: str
    width: int
    height: int


def prepare(data: bytes, mime: str, max_side: int) -> Prepared:
    """The image to store and send; Refused if Qt cannot decode it."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # a phone photo's EXIF rotation
    size = reader.size()
    if not size.isValid():
        raise refused(QT_TRANSLATE_NOOP("Attachments", "the image cannot be read."))
    longest = max(size.width(), size.height())
    scaled = longest > max_side
    if scaled:
        factor = max_side / longest
        reader.setScaledSize(QSize(max(1, round(size.width() * factor)),
                                   max(1, round(size.height() * factor))))
    image = reader.read()
    if image.isNull():
        raise refused(QT_TRANSLATE_NOOP("Attachments", "the image cannot be read."))
    transformed = (reader.transformation()
                   != QImageIOHandler.Transformation.TransformationNone)
    if not scaled and not transformed and mime in SENT_TYPES and len(data) <= KEEP_BYTES:
        return Prepared(data, mime, image.width(), image.height())
    if max(image.width(), image.height()) > max_side:  # rotated after the scaled read
        image = image.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    if image.hasAlphaChannel():
        png = _encode(image, "PNG", -1)
        if len(png) <= KEEP_BYTES:
            return Prepared(png, "image/png", image.width(), image.height())
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    if mime == "image/png" or mime == "image/gif":
        png = _encode(image, "PNG", -1)  # screenshots stay sharp when they are small enough
        if len(png) <= KEEP_BYTES:
            return Prepared(png, "image/png", image.width(), image.height())
    return Prepared(_encode(image, "JPEG", JPEG_QUALITY), "image/jpeg", image.width(),
                    image.height())


def _encode(image: QImage, fmt: str, quality: int) -> bytes:
    out = QByteArray()
    buffer = QBuffer(out)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, fmt, quality)  # type: ignore[call-overload]  # stubs say bytes; str works
    buffer.close()
    return bytes(out.data())

"""Files given with a message: what each is (sniffed from its bytes, not its name), the
text a model gets from it, and why one is refused. Qt-free; images are scaled by the
chat layer (QImage), which hands back the bytes to keep.

A file is refused at attach time, never at send time, so the typed message and the
other attachments stay as they were and the reason is one sentence.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from opchat_gui.core.text import QT_TRANSLATE_NOOP, Phrase

log = logging.getLogger(__name__)

CONTEXT = "Attachments"
MAX_FILE_BYTES = 32 * 1024 * 1024  # what may be attached at all (a phone photo is ~5 MB)
MAX_TEXT_CHARS = 200_000  # text sent inline (a file or a PDF's text): ~50k tokens
MAX_PDF_PAGES = 500
KINDS = ("image", "text", "pdf", "file")

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)
# Control characters other than tab, new line, form feed and carriage return: binary.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


@dataclass(frozen=True)
class Attachment:
    """One attachment row: in the composer (`message_id` None) or sent with a message."""

    id: int
    conversation_id: int
    message_id: int | None
    position: int
    sha256: str
    name: str
    mime: str
    size: int
    kind: str  # one of KINDS
    width: int | None
    height: int | None
    text: str  # what the model gets for a text or PDF file ('' for an image)


class Refused(ValueError):
    """A file that cannot be attached; `reason` says why in the reader's language."""

    def __init__(self, reason: Phrase) -> None:
        super().__init__(reason.render())
        self.reason = reason


def refused(source: str, *args: object) -> Refused:
    return Refused(Phrase(CONTEXT, source, args))


def image_mime(data: bytes) -> str:
    """The image type by its first bytes ('' if it is none the app sends)."""
    for magic, mime in _IMAGE_MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return ""


def decode_text(data: bytes) -> str | None:
    """The file as text if it is text (UTF-8 or UTF-16 with a BOM, no binary control
    characters), else None: a `.log` holding zeros is binary, a `Makefile` is text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    return None if _BINARY.search(text) else text


def kind_of(data: bytes) -> tuple[str, str]:
    """(kind, MIME type) by content: an image, a PDF, text, or another file."""
    mime = image_mime(data)
    if mime:
        return "image", mime
    if data.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if decode_text(data) is not None:
        return "text", "text/plain"
    return "file", "application/octet-stream"


def pdf_text(data: bytes) -> str:
    """The text of every page, each after a `[page N]` marker; Refused if the PDF cannot
    be read, is encrypted or holds no text (a scan)."""
    try:
        from pypdf import PdfReader  # ~0.4 MB, imported on the first PDF only
        from pypdf.errors import PyPdfError
    except ImportError as exc:
        raise refused(QT_TRANSLATE_NOOP("Attachments", "PDF files cannot be read: this "
                                        "build has no PDF reader (pypdf).")) from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise refused(QT_TRANSLATE_NOOP("Attachments", "the PDF is encrypted."))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise refused(QT_TRANSLATE_NOOP("Attachments", "the PDF has more than %1 "
                                            "pages."), MAX_PDF_PAGES)
        pages = [f"[page {number}]\n{(page.extract_text() or '').strip()}"
                 for number, page in enumerate(reader.pages, 1)]
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            RecursionError, OSError) as exc:  # a broken file may raise any of these
        log.info("unreadable PDF: %s: %s", type(exc).__name__, exc)
        raise refused(QT_TRANSLATE_NOOP("Attachments", "the PDF cannot be read.")) from exc
    text = "\n\n".join(pages)
    if not re.sub(r"\[page \d+\]", "", text).strip():
        raise refused(QT_TRANSLATE_NOOP("Attachments", "the PDF holds no text (a scan?)."))
    return text


def extracted_text(kind: str, data: bytes) -> str:
    """The text a model gets for a text file or a PDF; Refused when there is none to
    send or it is over MAX_TEXT_CHARS."""
    if kind == "pdf":
        text = pdf_text(data)
    elif kind == "text":
        text = decode_text(data) or ""
    else:
        raise refused(QT_TRANSLATE_NOOP("Attachments", "it is not text, a PDF or an image "
                                        "(only those can be sent to a model)."))
    if len(text) > MAX_TEXT_CHARS:
        raise refused(QT_TRANSLATE_NOOP("Attachments", "its text is %1 characters; at most "
                                        "%2 can be sent."), len(text), MAX_TEXT_CHARS)
    return text


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise refused(QT_TRANSLATE_NOOP("Attachments", "it is %1 MB; at most %2 MB can be "
                                        "attached."), round(size / 2**20, 1),
                      MAX_FILE_BYTES // 2**20)


def fenced(name: str, text: str) -> str:
    """A file's text as a Markdown code block headed by its name; the fence is longer
    than any run of backticks inside, so the file cannot close it early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{name}:\n{fence}\n{text.rstrip()}\n{fence}"


def with_files(text: str, attachments: list[Attachment]) -> str:
    """The message as a model reads it: the typed text, then each text or PDF file."""
    blocks = [fenced(a.name, a.text) for a in attachments if a.kind in ("text", "pdf")]
    if not blocks:
        return text
    return "\n\n".join([text, *blocks] if text.strip() else blocks)


def size_phrase(size: int) -> Phrase:
    """1.2 MB, 340 KB, 12 B: a file's short size, its unit in the reader's language."""
    if size >= 2**20:
        return Phrase(CONTEXT, QT_TRANSLATE_NOOP("Attachments", "%1 MB"),
                      (f"{size / 2**20:.1f}",))
    if size >= 1024:
        return Phrase(CONTEXT, QT_TRANSLATE_NOOP("Attachments", "%1 KB"),
                      (round(size / 1024),))
    return Phrase(CONTEXT, QT_TRANSLATE_NOOP("Attachments", "%1 B"), (size,))


def human_size(size: int) -> str:
    """The size in English (exports)."""
    return size_phrase(size).render()

"""A tool call and its result in the transcript: one folded line, "▸ Called git_log on
git · 0.4 s" (a fold of ui/transcript/folds.py, kind KIND), that opens by a click on it
or the toggle_tool key (the chosen call, else the last) to the arguments, pretty-printed,
and the result: its text (cut in view past SHOWN_CHARS; the model got it whole, or cut
with a note past the documented limit), images drawn, other parts named with their link.
A failed, declined or stopped call says so in its line, in the error colour.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QImage,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)

from opchat_gui.core.messages import Message, MessageState, tool_info
from opchat_gui.render.colours import TranscriptColours
from opchat_gui.ui.transcript.folds import (
    body_block_format,
    fold_href,
    fold_line_format,
    fold_title,
)
from opchat_gui.ui.transcript.text import block_format, char_format, link_format, role_format

KIND = "tool"  # the fold kind (ui/transcript/folds.py)
SHOWN_CHARS = 4000  # a result's text in view; the rest is a click on Copy away
IMAGE_WIDTH = 320  # pixels at most

translate = QCoreApplication.translate


def meta_of(message: Message) -> dict[str, Any]:
    return tool_info(message)


def seconds(ms: object) -> str:
    if not isinstance(ms, int | float):
        return ""
    return f"{ms / 1000:.1f} s" if ms >= 100 else f"{int(ms)} ms"


def summary(message: Message) -> tuple[str, bool]:
    """The folded line's words and whether they are an error's."""
    meta = meta_of(message)
    tool, server = str(meta.get("tool") or meta.get("name") or "?"), str(meta.get("server"))
    took = seconds(meta.get("ms"))
    if message.state == MessageState.STREAMING:
        if "decision" not in meta and server:
            return translate("Transcript", "Waiting for your answer: %1 on %2").replace(
                "%1", tool).replace("%2", server), False
        return translate("Transcript", "Calling %1 on %2…").replace("%1", tool).replace(
            "%2", server), False
    if message.state == MessageState.INTERRUPTED:  # the app ended while it ran
        return translate("Transcript", "Interrupted: %1 on %2 (the app closed before it "
                         "returned)").replace("%1", tool).replace("%2", server), True
    if message.state == MessageState.STOPPED:
        return translate("Transcript", "Stopped: %1 on %2 (no result)").replace(
            "%1", tool).replace("%2", server), True
    if meta.get("denied"):
        return translate("Transcript", "Declined: %1 on %2").replace("%1", tool).replace(
            "%2", server), True
    if not server:
        return translate("Transcript", "The model called %1, which no server offers").replace(
            "%1", tool), True
    if meta.get("error"):
        words = translate("Transcript", "%1 on %2 failed").replace("%1", tool).replace(
            "%2", server)
    else:
        words = translate("Transcript", "Called %1 on %2").replace("%1", tool).replace(
            "%2", server)
    return (f"{words} · {took}" if took else words), bool(meta.get("error"))


def write_header(cursor: QTextCursor, message: Message, expanded: bool,
                 colours: TranscriptColours) -> None:
    words, failed = summary(message)
    fmt = fold_line_format(fold_href(KIND, message.id),
                           colours.error_text if failed else colours.muted)
    cursor.insertText(fold_title(words, expanded), fmt)
    cursor.setCharFormat(char_format())


def write_body(cursor: QTextCursor, message: Message, colours: TranscriptColours) -> None:
    """The opened call: its arguments, then its result."""
    meta = meta_of(message)
    mono = char_format()
    mono.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    label = role_format("muted", colours.muted, bold=True, size=-1)
    code = body_block_format()
    code.setBackground(QColor(colours.code_bg))
    head = body_block_format()
    head.setTopMargin(6)
    cursor.insertBlock(head, QTextCharFormat())
    cursor.insertText(translate("Transcript", "Arguments"), label)
    arguments = str(meta.get("arguments") or "{}")
    try:
        arguments = json.dumps(json.loads(arguments), indent=2, ensure_ascii=False)
    except ValueError:
        pass
    for line in arguments.splitlines() or [""]:
        cursor.insertBlock(code, QTextCharFormat())
        cursor.insertText(line, mono)
    cursor.insertBlock(head, QTextCharFormat())
    cursor.insertText(translate("Transcript", "Result"), label)
    text = message.content
    if message.state == MessageState.STREAMING:
        text = ""
    shown = text[:SHOWN_CHARS]
    for line in shown.splitlines() or ([""] if not text else []):
        cursor.insertBlock(code, QTextCharFormat())
        cursor.insertText(line, mono)
    if len(text) > SHOWN_CHARS:
        cursor.insertBlock(block_format(top=2), QTextCharFormat())
        cursor.insertText(translate("Transcript", "Shown: the first %1 of %2 characters.")
                          .replace("%1", f"{SHOWN_CHARS:,}").replace("%2", f"{len(text):,}"),
                          char_format(colours.note, size=-1))
    for number, part in enumerate(meta.get("parts") or []):
        if isinstance(part, dict):
            _write_part(cursor, message.id, number, part, colours)
    cursor.setCharFormat(char_format())


def _write_part(cursor: QTextCursor, message_id: int, number: int, part: dict[str, Any],
                colours: TranscriptColours) -> None:
    cursor.insertBlock(block_format(top=4), QTextCharFormat())
    kind, mime, uri = str(part.get("kind")), str(part.get("mime") or ""), str(part.get("uri"))
    data = part.get("data")
    if kind == "image" and isinstance(data, str):
        image = QImage()
        if image.loadFromData(base64.b64decode(data)):
            name = f"opchat-tool-image://{message_id}/{number}"
            document: QTextDocument = cursor.document()
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
            fmt = QTextImageFormat()
            fmt.setName(name)
            width = min(IMAGE_WIDTH, max(image.width(), 48))
            fmt.setWidth(width)
            fmt.setHeight(image.height() * width / max(1, image.width()))
            cursor.insertImage(fmt)
            return
    size = part.get("size")
    words = f"[{kind}{': ' + mime if mime else ''}{f', {size} bytes' if size else ''}]"
    if uri and uri.startswith(("http://", "https://")):
        cursor.insertText(words + " ", char_format(colours.muted, size=-1))
        cursor.insertText(uri, link_format(uri, colours.link))
    else:
        cursor.insertText(words + (f" {uri}" if uri and uri != "None" else ""),
                          char_format(colours.muted, size=-1))


__all__ = ["KIND", "summary", "write_body", "write_header"]

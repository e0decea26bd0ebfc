"""Folded sections of a message: one line ("▸ Thought for 12 s") that opens to show more.

A section is a (kind, message id) pair: "thinking" here, tool calls may add their own
kind. Its line is a link (`opchat:fold/<kind>/<message id>`), so a click, or Tab and
Enter, toggles it; a key does too (the window asks the transcript). Which sections are
open is kept in `Folds`, so a message redrawn for any reason (theme, branch, an edit)
keeps its sections as the user left them. Everything is folded by default.
"""

from __future__ import annotations

from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor

from opchat_gui.ui.transcript.text import block_format, role_format

FOLD = "opchat:fold/"
OPEN_MARK = "▾"
CLOSED_MARK = "▸"
BODY_INDENT = 14  # pixels: an open section's text sits in from the reply's
FOLD_GAP = 6  # pixels above a fold line


def fold_href(kind: str, message_id: int) -> str:
    return f"{FOLD}{kind}/{message_id}"


def parse_fold(href: str) -> tuple[str, int] | None:
    """(kind, message id) of a fold line's link; None for any other link."""
    if not href.startswith(FOLD):
        return None
    kind, _, number = href[len(FOLD):].partition("/")
    return (kind, int(number)) if kind and number.isdigit() else None


class Folds:
    """Which sections are open: nothing is, until the user opens it."""

    def __init__(self) -> None:
        self._open: set[tuple[str, int]] = set()

    def is_open(self, kind: str, message_id: int) -> bool:
        return (kind, message_id) in self._open

    def set_open(self, kind: str, message_id: int, opened: bool) -> None:
        if opened:
            self._open.add((kind, message_id))
        else:
            self._open.discard((kind, message_id))

    def toggle(self, kind: str, message_id: int) -> bool:
        """Open a closed section or close an open one; whether it is open now."""
        opened = not self.is_open(kind, message_id)
        self.set_open(kind, message_id, opened)
        return opened

    def clear(self) -> None:
        self._open.clear()


def fold_line_format(href: str, colour: str) -> QTextCharFormat:
    """The fold line's look: muted (the app's words, not the model's), a link to toggle."""
    fmt = role_format("muted", colour)
    fmt.setAnchor(True)
    fmt.setAnchorHref(href)
    return fmt


def fold_title(title: str, opened: bool) -> str:
    return f"{OPEN_MARK if opened else CLOSED_MARK} {title}"


def write_fold_line(cursor: QTextCursor, title: str, href: str, colour: str, *,
                    opened: bool) -> None:
    """A new block holding the section's one line, as a link that toggles it."""
    cursor.insertBlock(block_format(top=FOLD_GAP), QTextCharFormat())
    cursor.insertText(fold_title(title, opened), fold_line_format(href, colour))
    cursor.setCharFormat(QTextCharFormat())


def body_block_format() -> QTextBlockFormat:
    """The blocks of an open section: set in from the reply's own text."""
    fmt = QTextBlockFormat()
    fmt.setLeftMargin(BODY_INDENT)
    return fmt

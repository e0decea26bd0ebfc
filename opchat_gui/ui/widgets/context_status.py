"""The status line's "Next request ≈ N / M tokens": the conversation as its next request
will be sent, against the model's context length (chat/context_meter), and how many older
messages it leaves out. The same estimate places the transcript's marker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QLabel, QWidget

from opchat_gui.core.text import fill

if TYPE_CHECKING:  # the window's first frame shows this label before chat/ loads
    from opchat_gui.chat.context_meter import Estimate


class ContextStatus(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contextStatus")
        self.setToolTip(self.tr(
            "Estimated tokens of the next request: the conversation as it will be sent, "
            "with the message being typed, of the model's context length. The estimate is "
            "UTF-8 bytes / 4 plus a few tokens per message, corrected by what the server "
            "reports after each reply (and counted exactly by llama.cpp's /tokenize). The "
            "last reply's own count, as the server reported it, is at the other end of the "
            "status bar."))

    def show_estimate(self, estimate: Estimate | None) -> None:
        if estimate is None:
            self.clear()
            return
        locale = QLocale()
        if estimate.limit:
            text = fill(self.tr("Next request ≈ %1 / %2 tokens"), locale.toString(estimate.tokens),
                        locale.toString(estimate.limit))
        else:
            text = fill(self.tr("Next request ≈ %1 tokens"), locale.toString(estimate.tokens))
        if estimate.dropped:
            text += fill(self.tr(" · older messages not sent: %1"), estimate.dropped)
        self.setText(text)


def marker_text(estimate: Estimate) -> str:
    """What the transcript's marker says above the first message sent."""
    return fill(QCoreApplication.translate(
        "ContextStatus", "The model sees from here on · older messages not sent: %1"),
        estimate.dropped)

"""The quick switcher (Ctrl+K): fuzzy over conversation titles, Up/Down and Enter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QWidget

from opchat_gui.core.messages import ConversationSummary
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.panels.overlay import Overlay

ID_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_SHOWN = 200


def fuzzy_score(query: str, title: str) -> float | None:
    """How well `query`'s letters appear in order in `title`; None when they do not.

    Consecutive letters and letters at word starts score higher, so "rvw" finds
    "Review the draft" before "Rivers of the world".
    """
    query = "".join(query.casefold().split())
    if not query:
        return 0.0
    text = title.casefold()
    score = 0.0
    position = -1
    previous = -2
    for char in query:
        position = text.find(char, position + 1)
        if position < 0:
            return None
        if position == previous + 1:
            score += 3
        if position == 0 or not text[position - 1].isalnum():
            score += 2
        score += 1
        previous = position
    return score - len(text) * 0.01  # shorter titles first on a tie


def rank_titles(query: str, conversations: list[ConversationSummary],
                limit: int = MAX_SHOWN) -> list[ConversationSummary]:
    """The best matches first; with no query, the list order (pinned, then recent)."""
    if not query.strip():
        return conversations[:limit]
    scored = [(score, index, c) for index, c in enumerate(conversations)
              if (score := fuzzy_score(query, c.title)) is not None]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [c for _score, _index, c in scored[:limit]]


class QuickSwitcher(Overlay):
    chosen = Signal(int)  # conversation id

    def __init__(self, parent: QWidget, conversations: Callable[[], list[ConversationSummary]],
                 untitled: str) -> None:
        super().__init__(parent, self.tr("Switch conversation"),
                         self.tr("Type part of a title"))
        self.setObjectName("quickSwitcher")
        self._conversations = conversations
        self._untitled = untitled
        self.model = QStandardItemModel(self)
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)  # type: ignore[attr-defined]
        self.filter.textChanged.connect(self.refresh)

    def key_hints(self) -> str:
        return keymap.hint_line((self.tr("%1 to choose"), ("panel_up", "panel_down")),
                                (self.tr("%1 to open"), ("panel_open",)),
                                (self.tr("%1 to close"), ("stop",)))

    def refresh(self) -> None:
        self.model.clear()
        for conversation in rank_titles(self.filter.text(), self._conversations()):
            pin = "📌 " if conversation.pinned else ""
            item = QStandardItem(pin + (conversation.title or self._untitled))
            item.setData(conversation.id, ID_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        self.select_row(0)

    def activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.close_overlay()
            self.chosen.emit(int(index.data(ID_ROLE)))

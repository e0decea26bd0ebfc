"""Search all history (Ctrl+Shift+F): ranked hits with the title and a marked snippet.

Typing searches after a short pause; Enter opens the chosen hit at its message.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPainter, QPalette, QStandardItem, QStandardItemModel, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from opchat_gui.core.messages import MARK_END, MARK_START, SearchHit
from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.panels.overlay import Overlay

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
TYPING_PAUSE_MS = 150
HIGHLIGHT = "background: #fde68a; color: #111827; font-weight: 600;"


def snippet_html(snippet: str) -> str:
    """The snippet escaped (model text is untrusted), with the hit words marked."""
    escaped = html.escape(snippet)
    return (escaped.replace(MARK_START, f'<span style="{HIGHLIGHT}">')
            .replace(MARK_END, "</span>"))


def thinking_label() -> str:
    """Heads a snippet taken from a reply's thinking rather than its answer."""
    return QCoreApplication.translate("SearchPanel", "Thinking:")


def snippet_text(snippet: str) -> str:
    """The snippet as plain text with the hits in «», for screen readers and tooltips."""
    return snippet.replace(MARK_START, "«").replace(MARK_END, "»")


class HitDelegate(QStyledItemDelegate):
    """Two lines per hit: the conversation title, then the snippet with hits marked."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if not isinstance(hit, SearchHit):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        document = self._document(hit, option, selected)
        painter.save()
        painter.translate(option.rect.topLeft())
        document.drawContents(painter, QRectF(0, 0, option.rect.width(), option.rect.height()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        height = option.fontMetrics.height()
        return QSize(200, height * 2 + 14)

    def _document(self, hit: SearchHit, option: QStyleOptionViewItem,
                  selected: bool) -> QTextDocument:
        # The colour group the style painted the row in: a list without the focus (it
        # stays in the search box) is drawn Inactive, with its quiet selection colour.
        active = bool(option.state & QStyle.StateFlag.State_Active)
        group = QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text = option.palette.color(group, role).name()
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(4)
        document.setTextWidth(option.rect.width())
        title = html.escape(hit.title or "…")
        where = (f"<i>{html.escape(thinking_label())}</i> " if hit.field == "reasoning"
                 else "")
        document.setHtml(f'<div style="color: {text};"><b>{title}</b><br>'
                         f"{where}{snippet_html(hit.snippet)}</div>")
        return document


class SearchPanel(Overlay):
    fit_rows = False  # hits arrive as you type: the panel keeps its full height
    chosen = Signal(int, int, str)  # conversation id, message id, the query

    def __init__(self, parent: QWidget, search: Callable[[str], list[SearchHit]]) -> None:
        super().__init__(parent, self.tr("Search all conversations"),
                         self.tr("Search words, in any language"))
        self.setObjectName("searchPanel")
        self._search = search
        self.model = QStandardItemModel(self)
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(HitDelegate(self.list))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.refresh)
        self.filter.textChanged.connect(self._timer.start)

    def key_hints(self) -> str:
        return keymap.hint_line((self.tr("%1 opens the message"), ("panel_open",)),
                                (self.tr("%1 closes"), ("stop",)))

    def refresh(self) -> None:
        self._timer.stop()
        query = self.filter.text()
        self.model.clear()
        hits = self._search(query) if query.strip() else []
        for hit in hits:
            where = f"{thinking_label()} " if hit.field == "reasoning" else ""
            item = QStandardItem(f"{hit.title}: {where}{snippet_text(hit.snippet)}")
            item.setData(hit, HIT_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        if query.strip():
            self.hint.setText(" · ".join((fill(self.tr("Hits: %1"), len(hits)),
                                          super().key_hints())))
        else:
            self.hint.setText(self.key_hints())
        self.select_row(0)

    def activate(self, index: QModelIndex) -> None:
        if self._timer.isActive():  # Enter before the pause ended: search now
            self.refresh()
            index = self.list.currentIndex()
        hit = index.data(HIT_ROLE) if index.isValid() else None
        if isinstance(hit, SearchHit):
            self.close_overlay()
            self.chosen.emit(hit.conversation_id, hit.message_id, self.filter.text())

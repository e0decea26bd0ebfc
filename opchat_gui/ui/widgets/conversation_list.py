"""The conversation list: a QListView over a model, painted by a delegate (no widget per row).

`ConversationModel` holds the conversations in list order (the window's commands count
in it: Alt+1..9, Ctrl+Tab). `GroupedModel` shows them under date headers (Pinned, Today,
Yesterday, Previous 7 days, Older), filtered by title; headers are neither selectable nor
reachable by keys. The delegate draws the title elided, the pin and streaming marks, and
on hover or focus the rename, pin and delete buttons, whose clicks run the same commands
as F2, Ctrl+Shift+P and Ctrl+Shift+Backspace.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QEnterEvent, QFont, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from opchat_gui.core.summary import ConversationSummary
from opchat_gui.ui import icons
from opchat_gui.ui.theme import LIGHT, Theme

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADER_ROLE = Qt.ItemDataRole.UserRole + 2
PINNED_ROLE = Qt.ItemDataRole.UserRole + 3
STREAMING_ROLE = Qt.ItemDataRole.UserRole + 4

# The hover/focus buttons, right to left: the command each runs (keymap action ids).
ROW_ACTIONS = (("delete_conversation", "trash-2"), ("toggle_pin", "pin"),
               ("rename_conversation", "pencil"))
ICON = 16
GAP = 6
PAD = 10  # inside a row, left and right


class ConversationModel(QAbstractListModel):
    """Every conversation in list order (pinned first, then newest activity)."""

    def __init__(self, load: Callable[[], list[ConversationSummary]],
                 is_streaming: Callable[[int], bool]) -> None:
        super().__init__()
        self._load = load
        self.is_streaming = is_streaming
        self._rows: list[ConversationSummary] = []

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows = []  # freed before the new list is read: never both at once (B4)
        self._rows = self._load()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return summary_data(self._rows[index.row()], role, self)

    def title(self, conversation: ConversationSummary) -> str:
        return conversation.title or self.tr("New conversation")

    def rows(self) -> list[ConversationSummary]:
        return self._rows

    def row_of(self, conversation_id: int) -> int:
        for row, conversation in enumerate(self._rows):
            if conversation.id == conversation_id:
                return row
        return -1

    def id_at(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None


def summary_data(conversation: ConversationSummary, role: int,
                 model: ConversationModel) -> object:
    if role == Qt.ItemDataRole.DisplayRole:
        return model.title(conversation)
    if role == Qt.ItemDataRole.ToolTipRole:
        return conversation.title
    if role == ID_ROLE:
        return conversation.id
    if role == PINNED_ROLE:
        return bool(conversation.pinned)
    if role == STREAMING_ROLE:
        return model.is_streaming(conversation.id)
    return None


def group_starts(now: float) -> tuple[float, float, float]:
    """Local midnights of today, yesterday and seven days ago, as timestamps."""
    midnight = datetime.fromtimestamp(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight.timestamp(), (midnight - timedelta(days=1)).timestamp(),
            (midnight - timedelta(days=7)).timestamp())


class GroupedModel(QAbstractListModel):
    """The conversations under date headers, filtered by title; rebuilt on each refresh."""

    def __init__(self, source: ConversationModel, now: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.source = source
        self._now = now
        self._filter = ""
        # An entry is a header's text or a row of `source`.
        self._entries: list[str | int] = []
        source.modelReset.connect(self._rebuild)
        self._rebuild()

    def group_names(self) -> tuple[str, str, str, str, str]:
        return (self.tr("Pinned"), self.tr("Today"), self.tr("Yesterday"),
                self.tr("Previous 7 days"), self.tr("Older"))

    def set_filter(self, text: str) -> None:
        self._filter = text.strip().casefold()
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        names = self.group_names()
        today, yesterday, week = group_starts(self._now())
        entries: list[str | int] = []
        shown = ""
        for row, conversation in enumerate(self.source.rows()):
            if self._filter and self._filter not in self.source.title(conversation).casefold():
                continue
            stamp = conversation.updated_at
            name = (names[0] if conversation.pinned else names[1] if stamp >= today
                    else names[2] if stamp >= yesterday else names[3] if stamp >= week
                    else names[4])
            if name != shown:
                entries.append(name)
                shown = name
            entries.append(row)
        self._entries = entries
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if isinstance(entry, str):
            if role == Qt.ItemDataRole.DisplayRole:
                return entry
            return True if role == HEADER_ROLE else None
        if role == HEADER_ROLE:
            return False
        return summary_data(self.source.rows()[entry], role, self.source)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and index.data(HEADER_ROLE):
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index)

    def row_of(self, conversation_id: int) -> int:
        source_row = self.source.row_of(conversation_id)
        if source_row < 0:
            return -1
        try:
            return self._entries.index(source_row)
        except ValueError:
            return -1  # filtered out

    def first_conversation(self) -> int:
        return next((row for row, entry in enumerate(self._entries)
                     if isinstance(entry, int)), -1)


class RowDelegate(QStyledItemDelegate):
    """Paints headers and rows; all sizes come from the font, so every row is one height."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.theme: Theme = LIGHT

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), option.fontMetrics.height() + 16)

    def action_rects(self, rect: QRect) -> list[tuple[str, QRectF]]:
        """Where each hover button sits in a row's rect, right to left."""
        top = rect.top() + (rect.height() - ICON) / 2
        right = rect.right() - PAD
        found = []
        for action, _name in ROW_ACTIONS:
            found.append((action, QRectF(right - ICON, top, ICON, ICON)))
            right -= ICON + GAP
        return found

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        theme = self.theme
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 1, -4, -1)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if index.data(HEADER_ROLE):
            font = QFont(option.font)
            font.setWeight(QFont.Weight.DemiBold)
            font.setPointSizeF(max(6.0, font.pointSizeF() - 1))
            painter.setFont(font)
            painter.setPen(QColor(theme.muted))
            painter.drawText(rect.adjusted(PAD - 4, 0, -PAD, -4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, text)
            painter.restore()
            return
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        focused = selected and bool(state & QStyle.StateFlag.State_HasFocus)
        if selected or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.selection if selected else theme.button))
            painter.drawRoundedRect(QRectF(rect), 6, 6)
        if focused and bool(state & QStyle.StateFlag.State_Active):
            painter.setPen(QPen(QColor(theme.highlight), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect).adjusted(0.75, 0.75, -0.75, -0.75), 6, 6)
        right = rect.right() - PAD
        if hovered or focused:
            for (action, place), (_a, name) in zip(self.action_rects(rect), ROW_ACTIONS,
                                                   strict=True):
                shown = "pin-off" if action == "toggle_pin" and index.data(PINNED_ROLE) \
                    else name
                icons.paint(painter, shown, theme.muted, place)
            right = int(self.action_rects(rect)[-1][1].left()) - GAP
        else:
            if index.data(PINNED_ROLE):
                icons.paint(painter, "pin", theme.muted,
                            QRectF(right - 14, rect.center().y() - 7 + 1, 14, 14))
                right -= 14 + GAP
            if index.data(STREAMING_ROLE):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(theme.highlight))
                painter.drawEllipse(QRectF(right - 8, rect.center().y() - 3, 7, 7))
                right -= 8 + GAP
        title_rect = QRect(rect.left() + PAD, rect.top(), right - rect.left() - PAD,
                           rect.height())
        painter.setFont(option.font)
        painter.setPen(QColor(theme.text))
        elided = option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                               max(0, title_rect.width()))
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         elided)
        painter.restore()


class ConversationList(QListView):
    """The list itself; `actionRequested(action, id)` when a row's button is clicked."""

    actionRequested = Signal(str, int)

    def __init__(self, model: ConversationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationList")
        self.setAccessibleName(self.tr("Conversations"))
        self.grouped = GroupedModel(model)
        self.setModel(self.grouped)
        self.delegate = RowDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)
        # Lay out 10,000 rows in batches between events, so the first screen paints at once.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(256)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setMouseTracking(True)
        self._hover_on = False  # see enterEvent
        self.setMinimumWidth(180)

    def lay_out_now(self) -> None:
        """Lay every row out at once, for a paint that comes before the event loop turns
        again (the window's first frame, app/frame.py): batches are laid out between
        events, so that paint would show the list empty."""
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.doItemsLayout()
        self.setLayoutMode(QListView.LayoutMode.Batched)  # later layouts, as before

    def set_theme(self, theme: Theme) -> None:
        self.delegate.theme = theme
        if self.isVisible():
            self.viewport().update()

    def enterEvent(self, event: QEnterEvent) -> None:
        # Hover events for the row buttons. Set on first entry, not in __init__: the first
        # viewport() call from Python costs ~15 ms, and start-up should not pay it.
        if not self._hover_on:
            self._hover_on = True
            self.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover)
        super().enterEvent(event)

    def select_id(self, conversation_id: int | None) -> None:
        row = -1 if conversation_id is None else self.grouped.row_of(conversation_id)
        if row < 0:
            self.clearSelection()
            return
        index = self.grouped.index(row, 0)
        self.selectionModel().setCurrentIndex(
            index, self.selectionModel().SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def enter_from_filter(self) -> None:
        """Down in the filter box: focus the list on its first conversation."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.currentIndex().isValid() or self.currentIndex().data(HEADER_ROLE):
            row = self.grouped.first_conversation()
            if row >= 0:
                self.setCurrentIndex(self.grouped.index(row, 0))

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Step over headers: keys only ever land on conversations."""
        index = super().moveCursor(action, modifiers)
        if not index.isValid() or not index.data(HEADER_ROLE):
            return index
        moves = QAbstractItemView.CursorAction
        step = -1 if action in (moves.MoveUp, moves.MovePageUp, moves.MoveLeft,
                                moves.MovePrevious) else 1
        row = index.row()
        while 0 <= row < self.grouped.rowCount():
            if not self.grouped.index(row, 0).data(HEADER_ROLE):
                return self.grouped.index(row, 0)
            row += step
        return self.currentIndex()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        action = self._action_at(index, event.position().toPoint())
        super().mousePressEvent(event)  # selects the row: the command runs on it
        if action is not None:
            conversation_id = index.data(ID_ROLE)
            if isinstance(conversation_id, int):
                self.actionRequested.emit(action, conversation_id)

    def _action_at(self, index: QModelIndex, point: QPoint) -> str | None:
        if not index.isValid() or index.data(HEADER_ROLE):
            return None
        rect = self.visualRect(index).adjusted(4, 1, -4, -1)
        for action, place in self.delegate.action_rects(rect):
            if place.adjusted(-3, -3, 3, 3).contains(point.toPointF()):
                return action
        return None

    def action_point(self, conversation_id: int, action: str) -> QPoint:
        """The centre of a row's button, in viewport coordinates (for tests and hints)."""
        index = self.grouped.index(self.grouped.row_of(conversation_id), 0)
        rect = self.visualRect(index).adjusted(4, 1, -4, -1)
        return dict(self.delegate.action_rects(rect))[action].center().toPoint()

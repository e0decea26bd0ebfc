"""The conversation list: a QListView over a model, so thousands of rows stay cheap."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from opchat_gui.core.messages import ConversationSummary

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ConversationModel(QAbstractListModel):
    def __init__(self, load: Callable[[], list[ConversationSummary]],
                 is_streaming: Callable[[int], bool]) -> None:
        super().__init__()
        self._load = load
        self._is_streaming = is_streaming
        self._rows: list[ConversationSummary] = []

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows = self._load()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        conversation = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            title = conversation.title or self.tr("New conversation")
            marker = "● " if self._is_streaming(conversation.id) else ""
            pin = "📌 " if conversation.pinned else ""
            return f"{marker}{pin}{title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return conversation.title
        if role == ID_ROLE:
            return conversation.id
        return None

    def rows(self) -> list[ConversationSummary]:
        return self._rows

    def row_of(self, conversation_id: int) -> int:
        for row, conversation in enumerate(self._rows):
            if conversation.id == conversation_id:
                return row
        return -1

    def id_at(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None


class ConversationList(QListView):
    def __init__(self, model: ConversationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationList")
        self.setAccessibleName(self.tr("Conversations"))
        self.setModel(model)
        self.setUniformItemSizes(True)
        # Lay out 10,000 rows in batches between events, so the first screen paints at once.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(256)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMinimumWidth(180)

    def select_id(self, conversation_id: int | None) -> None:
        model = self.model()
        assert isinstance(model, ConversationModel)
        row = -1 if conversation_id is None else model.row_of(conversation_id)
        if row < 0:
            self.clearSelection()
            return
        index = model.index(row, 0)
        self.selectionModel().setCurrentIndex(
            index, self.selectionModel().SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

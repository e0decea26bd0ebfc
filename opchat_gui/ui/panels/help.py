"""The shortcut help (F1, Ctrl+/): every binding of the key map, filtered as you type.

Enter on a row runs that command, so the help doubles as a command palette.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from opchat_gui.ui.keys import keymap
from opchat_gui.ui.panels.overlay import Overlay

ACTION_ROLE = Qt.ItemDataRole.UserRole + 1


class _RowDelegate(QStyledItemDelegate):
    """Draws no focus frame on the current cell: over the selected row's highlight it was a
    lighter bar on the Keys cell alone; the highlight already shows the row and the focus."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_HasFocus  # type: ignore[assignment]
        super().paint(painter, plain, index)


class HelpOverlay(Overlay):
    # Three columns: at the switcher's 640 px the actions were cut to "Retry the last…";
    # with the room going to the actions, not to "Where".
    max_width = 960

    def __init__(self, parent: QWidget, run_action: Callable[[str], bool]) -> None:
        table = QTreeView()
        table.setRootIsDecorated(False)
        table.setUniformRowHeights(True)
        table.setAlternatingRowColors(True)
        table.setItemDelegate(_RowDelegate(table))
        super().__init__(parent, self.tr("Keyboard shortcuts"),
                         self.tr("Filter shortcuts: type a key or a word"), table)
        self.setObjectName("helpOverlay")
        self._run_action = run_action
        self.model = QStandardItemModel(self)
        self.list.setModel(self.model)
        self.table = table
        self.filter.textChanged.connect(self.refresh)

    def key_hints(self) -> str:
        return keymap.hint_line((self.tr("%1 runs the selected command"), ("panel_open",)),
                                (self.tr("%1 closes"), ("stop",)))

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(action, keys, label, where) for every binding matching the filter, table order."""
        needle = self.filter.text().casefold().split()
        shown: list[tuple[str, str, str, str]] = []
        for binding in keymap.KEYMAP:
            keys = keymap.display(keymap.keys_for(binding.action)) or self.tr("(unbound)")
            row = (binding.action, keys, keymap.label(binding.action),
                   keymap.scope_label(binding.scope))
            haystack = " ".join((*row[1:], *keymap.keys_for(binding.action))).casefold()
            if all(word in haystack for word in needle):
                shown.append(row)
        return shown

    def refresh(self) -> None:
        # Unpolished on its first open, the table took its one row height without the
        # style sheet's item padding: 14 px rows, then 22 px after the first filter.
        self.table.ensurePolished()
        self.model.clear()
        self.model.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action"),
                                              self.tr("Where")])
        for action, *cells in self.rows():
            items = [QStandardItem(text) for text in cells]
            for item in items:
                item.setEditable(False)
                item.setData(action, ACTION_ROLE)
            self.model.appendRow(items)
        header = self.table.header()
        header.setStretchLastSection(False)  # the actions take the room, not "Where"
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.select_row(0)

    def row_texts(self) -> list[str]:
        """Each shown row as one line (for tests and screen-reader summaries)."""
        model = self.model
        return [" ".join(model.item(r, c).text() for c in range(model.columnCount()))
                for r in range(model.rowCount())]

    def activate(self, index: QModelIndex) -> None:
        action = index.data(ACTION_ROLE) if index.isValid() else None
        if action and keymap.BY_ACTION[action].scope == "window" and action != "show_shortcuts":
            self.close_overlay()
            self._run_action(action)

"""The key bindings page of the settings dialog: rebind any action, conflicts shown live.

Pick a row, press Enter to reach the key field, press the new keys, Tab to "Set" (replace)
or "Add", Space. "Save key bindings" applies and stores them; it is refused while two
actions share a key where both apply.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap


class KeysPage(QWidget):
    def __init__(self, save: Callable[[dict[str, tuple[str, ...]]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keysPage")
        self.setAccessibleName(self.tr("Key bindings"))
        self._save = save
        self.draft: dict[str, tuple[str, ...]] = keymap.active_bindings()

        self.table = QTableWidget(len(keymap.KEYMAP), 3)
        self.table.setObjectName("keysTable")
        self.table.setAccessibleName(self.tr("Actions and their keys"))
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys"),
                                              self.tr("Where")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.editor = QKeySequenceEdit()
        self.editor.setObjectName("keyEditor")
        self.editor.setAccessibleName(self.tr("New keys for the selected action"))
        self.editor.setMaximumSequenceLength(1)
        self.set_button = QPushButton(self.tr("&Set"))
        self.add_button = QPushButton(self.tr("&Add"))
        self.reset_button = QPushButton(self.tr("&Default"))
        self.clear_button = QPushButton(self.tr("&Unbind"))
        self.conflict = QLabel()
        self.conflict.setObjectName("problemBanner")  # the theme's problem colours
        self.conflict.setWordWrap(True)
        self.conflict.setVisible(False)
        self.save_button = QPushButton(self.tr("Sa&ve key bindings"))
        self.save_button.setObjectName("saveKeys")
        self.saved = QLabel()
        self.saved.setObjectName("keysSaved")
        edit_row = QHBoxLayout()
        edit_row.addWidget(QLabel(self.tr("New keys:")))
        edit_row.addWidget(self.editor, 1)
        for button in (self.set_button, self.add_button, self.reset_button, self.clear_button):
            edit_row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(edit_row)
        layout.addWidget(self.conflict)
        save_row = QHBoxLayout()
        save_row.addWidget(self.saved, 1)
        save_row.addWidget(self.save_button)
        layout.addLayout(save_row)

        self.set_button.clicked.connect(lambda: self.assign(self._typed(), replace=True))
        self.add_button.clicked.connect(lambda: self.assign(self._typed(), replace=False))
        self.reset_button.clicked.connect(self.reset_selected)
        self.clear_button.clicked.connect(lambda: self._put(self.selected_action(), ()))
        self.save_button.clicked.connect(self.save)
        self._fill()
        self.table.selectRow(0)
        self.setFocusProxy(self.table)

    def chain_after(self, previous: QWidget) -> None:
        """Put the page's widgets in the Tab chain right after `previous` (a page list)."""
        for widget in (self.table, self.editor, self.set_button, self.add_button,
                       self.reset_button, self.clear_button, self.save_button):
            QWidget.setTabOrder(previous, widget)
            previous = widget

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on the table goes to the key field (not to the dialog's default button)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self.editor.setFocus(Qt.FocusReason.TabFocusReason)
            return
        super().keyPressEvent(event)

    def selected_action(self) -> str:
        row = max(0, self.table.currentRow())
        return keymap.KEYMAP[row].action

    def assign(self, key: str, *, replace: bool = True) -> None:
        action = self.selected_action()
        key = keymap.normalize(key)
        if not key:
            return
        keys = (key,) if replace else tuple(dict.fromkeys((*self.draft[action], key)))
        self._put(action, keys)

    def reset_selected(self) -> None:
        action = self.selected_action()
        self._put(action, keymap.BY_ACTION[action].keys)

    def conflicts(self) -> list[tuple[str, str, str]]:
        return keymap.conflicts(self.draft)

    def save(self) -> bool:
        if self.conflicts():
            return False
        changed = {a: k for a, k in self.draft.items() if k != keymap.BY_ACTION[a].keys}
        self._save(changed)
        self.saved.setText(self.tr("Saved: the new keys work now."))
        return True

    def _typed(self) -> str:
        return self.editor.keySequence().toString(QKeySequence.SequenceFormat.PortableText)

    def _put(self, action: str, keys: tuple[str, ...]) -> None:
        self.draft[action] = keys
        self._fill()
        self.editor.clear()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill(self) -> None:
        clashing = {a for _key, x, y in self.conflicts() for a in (x, y)}
        for row, binding in enumerate(keymap.KEYMAP):
            keys = keymap.display(self.draft[binding.action]) or self.tr("(unbound)")
            cells = (keymap.label(binding.action), keys, keymap.scope_label(binding.scope))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # whole, where the column cuts it short
                if binding.action in clashing:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, column, item)
        messages = [fill(self.tr("%1 is used by both “%2” and “%3”."),
                         keymap.display([key]), keymap.label(first), keymap.label(second))
                    for key, first, second in self.conflicts()]
        self.conflict.setText(" ".join(messages))
        self.conflict.setVisible(bool(messages))
        self.save_button.setEnabled(not messages)
        self.saved.clear()

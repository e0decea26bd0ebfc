"""The provider and model picker (Ctrl+M): type to filter, arrows to move, Enter to pick.

Rows are every provider with its default model, plus the models each OpenAI-compatible
server lists (asked for when the picker opens; they arrive as the servers answer).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.chat.provider_service import ProviderService
from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

ROLE = Qt.ItemDataRole.UserRole
NAVIGATION = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp,
                        Qt.Key.Key_PageDown})


def short_count(tokens: int) -> str:
    """4096 -> "4k", 131072 -> "128k", 128000 -> "128k", 1048576 -> "1M", 500 -> "500"."""
    for unit, binary, decimal in (("M", 1 << 20, 1_000_000), ("k", 1 << 10, 1000)):
        if tokens >= decimal:
            if tokens % binary == 0 and tokens % decimal:
                return f"{tokens // binary}{unit}"
            return f"{round(tokens / decimal)}{unit}"
    return str(tokens)


class ProviderPicker(QDialog):
    picked = Signal(str, str)  # provider id, model ("" = the provider's default)
    manageRequested = Signal()  # the manage_providers key, pressed in here

    def __init__(self, providers: ProviderService, current: tuple[str, str], title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("providerPicker")
        self.setWindowTitle(title)
        self.resize(520, 400)
        self.providers = providers
        self.current = current
        self.filter = QLineEdit()
        self.filter.setObjectName("pickerFilter")
        self.filter.setPlaceholderText(self.tr("Type to filter providers and models"))
        self.filter.setAccessibleName(self.tr("Filter"))
        self.list = QListWidget()
        self.list.setObjectName("pickerList")
        self.list.setAccessibleName(self.tr("Providers and models"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("pickerNote")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        manage = QAction(self)
        manage.setShortcuts(keymap.sequences("manage_providers"))
        manage.triggered.connect(self._manage)
        self.addAction(manage)
        hint = QLabel(" · ".join(filter(None, (
            self.tr("Enter picks · Esc cancels"),
            keymap.hint_line((self.tr("%1 manages providers"), ("manage_providers",)))))))
        hint.setEnabled(False)
        layout.addWidget(hint)

        self.filter.textChanged.connect(self._apply_filter)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        providers.modelsListed.connect(self._on_models)
        self._errors: dict[str, str] = {}
        self._fill()
        for entry in providers.entries():
            if entry.kind == "openai":
                providers.list_models(entry.id, facts=True)
        self.filter.setFocus()

    # Rows

    def rows(self) -> list[tuple[str, str]]:
        return [self.list.item(i).data(ROLE) for i in range(self.list.count())]

    def _fill(self) -> None:
        chosen = self.list.currentItem().data(ROLE) if self.list.currentItem() else self.current
        self.list.clear()
        names = self.providers.names()
        for entry in self.providers.entries():
            models = [entry.model] if entry.kind == "openai" and entry.model else [""]
            for model in self.providers.models.get(entry.id, []):
                if model not in models:
                    models.append(model)
            for model in models:
                shown = model or entry.model
                item = QListWidgetItem((f"{names[entry.id]} · {shown}" if shown
                                        else names[entry.id]) + self._facts(entry.id, shown))
                item.setData(ROLE, (entry.id, model))
                self.list.addItem(item)
                if (entry.id, model or entry.model) == (chosen[0], chosen[1] or entry.model):
                    self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._apply_filter(self.filter.text())
        self.note.setText(" ".join(self._errors.values()))

    def _facts(self, provider_id: str, model: str) -> str:
        """"  ·  context 8k · thinks" for a model whose server said so, else ""."""
        context, thinks = self.providers.model_facts(provider_id, model)
        notes = []
        if context:
            notes.append(fill(self.tr("context %1"), short_count(context)))
        if thinks:
            notes.append(self.tr("thinks"))
        return "  ·  " + " · ".join(notes) if notes else ""

    def _apply_filter(self, text: str) -> None:
        words = text.lower().split()
        first_visible = None
        for index in range(self.list.count()):
            item = self.list.item(index)
            hidden = not all(word in item.text().lower() for word in words)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        current = self.list.currentItem()
        if (current is None or current.isHidden()) and first_visible is not None:
            self.list.setCurrentItem(first_visible)

    def _on_models(self, provider_id: str, _models: object, error: str) -> None:
        if error:
            entry = self.providers.entry(provider_id)
            name = entry.name if entry else provider_id
            self._errors[provider_id] = fill(self.tr("%1: %2"), name, error)
        self._fill()

    # Keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in NAVIGATION:
                self.list.keyPressEvent(event)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept()
                return True
        return super().eventFilter(watched, event)

    def _manage(self) -> None:
        self.reject()
        self.manageRequested.emit()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            provider_id, model = item.data(ROLE)
            self.picked.emit(provider_id, model)
        super().accept()

    def done(self, result: int) -> None:
        try:
            self.providers.modelsListed.disconnect(self._on_models)
        except (RuntimeError, TypeError):
            pass
        super().done(result)

"""The Providers settings page: a list of providers and a form built from provider_config.FIELDS.

Keys typed here go straight to the key store (system keyring, or a private file where
none exists, which the page says); the form never shows a stored key back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.chat.provider_service import FIELDS, KIND_LABELS, PRESETS, Field, ProviderService
from opchat_gui.config.generation import KINDS_TAKING_SETTINGS
from opchat_gui.core.text import fill
from opchat_gui.ui.dialogs.generation_form import GenerationForm

ROLE = Qt.ItemDataRole.UserRole
NEW = ""  # the list row id of "a provider being added"


class ProvidersPage(QWidget):
    def __init__(self, providers: ProviderService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("providersPage")
        self.providers = providers
        self.editing: str = NEW
        self.editors: dict[str, QWidget] = {}
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}

        self.list = QListWidget()
        self.list.setObjectName("providerList")
        self.list.setAccessibleName(self.tr("Providers"))
        self.list.setMaximumWidth(220)
        self.list.currentItemChanged.connect(self._on_current)

        self.preset = QComboBox()
        self.preset.setObjectName("providerPreset")
        self.preset.setAccessibleName(self.tr("Start from a preset"))
        self.preset.addItem(self.tr("AI Engine site"), ("aiengine", "", ""))
        for preset in PRESETS:
            self.preset.addItem(preset.name, ("openai", preset.base_url, preset.name))
        add = QPushButton(self.tr("&New"))
        add.setObjectName("providerNew")
        add.clicked.connect(self.start_new)

        form = QFormLayout()
        for field in FIELDS:
            editor = self._editor(field)
            editor.setObjectName(f"provider_{field.name}")
            editor.setToolTip(self.tr(field.help) if field.help else "")
            editor.setAccessibleName(self.tr(field.label))
            label = QLabel(self.tr(field.label))
            label.setBuddy(editor)
            form.addRow(label, editor)
            self.editors[field.name] = editor
            self.rows[field.name] = (label, editor)
        kind = self.editors["kind"]
        assert isinstance(kind, QComboBox)
        kind.currentIndexChanged.connect(lambda _i: self._show_fields())

        if providers.keys_in_keyring():
            note = self.tr("API keys and proxy passwords are kept in the system keyring.")
        else:
            note = fill(self.tr("No system keyring is available here, so API keys and "
                                "proxy passwords are kept in %1, readable only by you."),
                        providers.keys_file())
        self.keys_note = QLabel(note)
        self.keys_note.setObjectName("keysNote")
        self.keys_note.setWordWrap(True)
        if not providers.keys_in_keyring():
            self.keys_note.setStyleSheet("font-weight: 600;")
        self.status = QLabel()
        self.status.setObjectName("providerStatus")
        self.status.setWordWrap(True)
        save = QPushButton(self.tr("&Save"))
        save.setObjectName("providerSave")
        save.clicked.connect(self.save)
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.setObjectName("providerRemove")
        self.remove_button.clicked.connect(self.remove)
        self.default_button = QPushButton(self.tr("Make &default"))
        self.default_button.setObjectName("providerDefault")
        self.default_button.clicked.connect(self.make_default)

        self.generation = GenerationForm()
        self.generation_box = QGroupBox(self.tr("Generation defaults"))
        self.generation_box.setObjectName("providerGeneration")
        box = QVBoxLayout(self.generation_box)
        box.addWidget(self.generation)

        top = QHBoxLayout()
        top.addWidget(self.preset, 1)
        top.addWidget(add)
        buttons = QHBoxLayout()
        for button in (save, self.default_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(top)
        right.addLayout(form)
        right.addWidget(self.generation_box)
        right.addLayout(buttons)
        right.addWidget(self.status)
        right.addStretch(1)
        right.addWidget(self.keys_note)
        body = QHBoxLayout(self)
        body.addWidget(self.list)
        body.addLayout(right, 1)

        providers.changed.connect(self.refresh)
        self.refresh()

    # Building

    def _editor(self, field: Field) -> QWidget:
        if field.kind == "choice":
            combo = QComboBox()
            for choice in field.choices:
                combo.addItem(self.tr(KIND_LABELS.get(choice, choice)), choice)
            return combo
        if field.kind == "bool":
            return QCheckBox()
        edit = QLineEdit()
        if field.kind == "secret":
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _show_fields(self) -> None:
        kind = self.value("kind")
        for field in FIELDS:
            label, editor = self.rows[field.name]
            visible = kind in field.kinds
            label.setVisible(visible)
            editor.setVisible(visible)
        self.generation_box.setVisible(kind in KINDS_TAKING_SETTINGS)

    # Values

    def value(self, name: str) -> Any:
        editor = self.editors[name]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        assert isinstance(editor, QLineEdit)
        return editor.text().strip()

    def set_value(self, name: str, value: Any) -> None:
        editor = self.editors[name]
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def values(self) -> dict[str, Any]:
        kind = self.value("kind")
        return {f.name: self.value(f.name) for f in FIELDS
                if kind in f.kinds or f.name in ("name", "kind")}

    # Commands

    def refresh(self) -> None:
        keep = self.editing
        self.list.blockSignals(True)
        self.list.clear()
        default = self.providers.default_id()
        names = self.providers.names()
        for entry in self.providers.entries():
            text = names[entry.id] + (self.tr("  (default)") if entry.id == default else "")
            item = QListWidgetItem(text)
            item.setData(ROLE, entry.id)
            self.list.addItem(item)
            if entry.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and keep == NEW and self.list.count():
            self.list.setCurrentRow(0)
        self._load(self.list.currentItem().data(ROLE) if self.list.currentItem() else NEW)

    def start_new(self) -> None:
        kind, url, name = self.preset.currentData()
        self.list.clearSelection()
        self.list.setCurrentItem(None)
        self._load(NEW)
        self.set_value("kind", kind)
        self.set_value("url", url)
        self.set_value("name", name or self.tr("New AI Engine site"))
        self.status.setText(self.tr("Fill in the form, then Save."))
        self.editors["name"].setFocus()

    def save(self) -> None:
        values = self.values()
        if not values.get("url") and values.get("kind") != "opchatgpts":
            self.status.setText(self.tr("An address is needed."))
            return
        context = str(values.get("context_length") or "")
        if context and not (context.isdigit() and int(context) > 0):
            self.status.setText(self.tr("The context length is a number of tokens, or "
                                        "empty for what the server says."))
            self.editors["context_length"].setFocus()
            return
        if values.get("kind") in KINDS_TAKING_SETTINGS:
            generation = self.generation.values()
            if generation is None:
                self.status.setText(self.tr("A generation default is refused; its field "
                                            "says why. Nothing was saved."))
                return
            values["generation"] = generation
        entry = self.providers.save(values, self.editing or None)
        self.editing = entry.id
        self.refresh()
        self.status.setText(fill(self.tr("Saved “%1”."), entry.name))

    def remove(self) -> None:
        if self.editing and self.providers.remove(self.editing):
            self.editing = NEW
            self.refresh()
            self.status.setText(self.tr("Removed."))

    def make_default(self) -> None:
        if self.editing:
            self.providers.set_default(self.editing)
            self.status.setText(self.tr("New conversations will use this provider."))

    def _on_current(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self._load(current.data(ROLE))

    def _load(self, provider_id: str) -> None:
        entry = self.providers.entry(provider_id) if provider_id else None
        self.editing = entry.id if entry else NEW
        runtime = bool(entry) and self.providers.is_runtime(provider_id)
        for field in FIELDS:
            value = getattr(entry, field.name, None) if entry else None
            if field.kind == "secret":
                value = ""
                editor = self.editors[field.name]
                assert isinstance(editor, QLineEdit)
                stored = entry is not None and self.providers.has_secret(field.name, entry.id)
                editor.setPlaceholderText(self.tr("stored; type to replace") if stored else "")
            elif value is None:
                value = {"kind": "aiengine", "bot_id": "default"}.get(field.name, "")
            elif field.name == "context_length" and not value:
                value = ""  # as the server says
            self.set_value(field.name, value)
            self.editors[field.name].setEnabled(not runtime)
        context = self.editors["context_length"]
        assert isinstance(context, QLineEdit)
        context.setPlaceholderText(self.tr("as the server says"))
        self.generation.set_values(entry.generation if entry else {})
        self.generation.setEnabled(not runtime)
        self.remove_button.setEnabled(bool(entry) and not runtime)
        self.default_button.setEnabled(bool(entry))
        self._show_fields()

"""The conversation's generation settings editor (Ctrl+Shift+G): Tab moves between the
fields, Enter saves, Esc cancels. A field refused keeps the dialog open with its reason.

For an AI Engine site it shows no fields: the bot's model, temperature and reply length
are set on the site and its chat route takes none of them from the app, so fields here
would do nothing; the dialog says so instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.core.text import fill
from opchat_gui.ui.dialogs.generation_form import GenerationForm


class GenerationDialog(QDialog):
    saved = Signal(dict)  # the conversation's overrides: field name -> value

    def __init__(self, values: Mapping[str, Any], *, takes_settings: bool,
                 defaults: Mapping[str, Any], provider_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generationDialog")
        self.setWindowTitle(self.tr("Generation settings"))
        self.takes_settings = takes_settings
        layout = QVBoxLayout(self)
        # Exactly as tall as its rows: a refused field's reason pushes the rest down
        # instead of squeezing the fields (a dialog without a window manager never grows).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        self.note = QLabel()
        self.note.setObjectName("generationNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.form: GenerationForm | None = None
        if takes_settings:
            self.note.setText(fill(self.tr(
                "This conversation's settings for %1. An empty field uses the provider's "
                "default (shown in grey) or else the server's own, and is not sent."),
                provider_name))
            self.form = GenerationForm()
            self.form.set_values(values, defaults, self.tr("provider"))
            layout.addWidget(self.form)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                       | QDialogButtonBox.StandardButton.Cancel)
            clear = QPushButton(self.tr("C&lear all"))
            clear.setObjectName("generationClear")
            clear.setAutoDefault(False)
            clear.clicked.connect(self.clear)
            buttons.addButton(clear, QDialogButtonBox.ButtonRole.ResetRole)
            hint = QLabel(self.tr("Tab moves between fields · Enter saves · Esc cancels"))
        else:
            self.note.setText(fill(self.tr(
                "%1 is an AI Engine site: the bot's model, temperature and reply length are "
                "set on the site, and its chat route takes none of them from the app, so "
                "there is nothing to set here."), provider_name))
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            hint = QLabel(self.tr("Esc closes"))
            self.note.setMinimumWidth(420)
        hint.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        layout.addWidget(hint)
        if self.form is not None:
            self.form.edits["temperature"].setFocus()

    def clear(self) -> None:
        if self.form is not None:
            for edit in self.form.edits.values():
                edit.clear()
            self.form.edits["temperature"].setFocus()

    def accept(self) -> None:
        """Save only when every field is valid; otherwise stay, the reason on show."""
        if self.form is not None:
            values = self.form.values()
            if values is None:
                return
            self.saved.emit(values)
        super().accept()

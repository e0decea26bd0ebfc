"""The generation settings as a form of fields, built from config.generation.GEN_FIELDS.

Each field is checked as it is typed: a refused value shows its reason under the field
and keeps the form from being read (`values()` is None), so nothing invalid is stored.
An empty field shows what applies instead (the provider's default or the server's) as
its placeholder. The conversation's editor and the providers page both use this form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from opchat_gui.config.generation import GEN_FIELDS, GenerationError, parse, shown
from opchat_gui.core.text import fill

CONTEXT = "Generation"
EDIT_WIDTH = 300  # pixels: room for a stop list or a small JSON object


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class GenerationForm(QWidget):
    validityChanged = Signal(bool)  # every field holds a valid value (or none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generationForm")
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for field in GEN_FIELDS:
            edit = QLineEdit()
            edit.setMinimumWidth(EDIT_WIDTH)
            edit.setObjectName(f"gen_{field.name}")
            edit.setAccessibleName(tr(field.label))
            edit.setToolTip(tr(field.help))
            error = QLabel()
            error.setObjectName(f"gen_{field.name}_error")
            error.setForegroundRole(QPalette.ColorRole.BrightText)  # the theme's error colour
            error.setWordWrap(True)
            error.setVisible(False)
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(edit)
            column.addWidget(error)
            label = QLabel(tr(field.label))
            label.setBuddy(edit)
            form.addRow(label, cell)
            edit.textChanged.connect(lambda _text, name=field.name: self._check(name))
            self.edits[field.name] = edit
            self.errors[field.name] = error
        self._valid = True

    def set_values(self, values: Mapping[str, Any],
                   inherited: Mapping[str, Any] | None = None,
                   inherited_from: str = "") -> None:
        """Fill the fields; an empty one shows `inherited`'s value (from whom) or
        "server default" as its placeholder."""
        inherited = inherited or {}
        for field in GEN_FIELDS:
            edit = self.edits[field.name]
            edit.setText(shown(field.name, values.get(field.name)))
            value = inherited.get(field.name)
            edit.setPlaceholderText(
                fill(QCoreApplication.translate("Generation", "%1 (%2)"),
                     shown(field.name, value), inherited_from)
                if value is not None
                else QCoreApplication.translate("Generation", "server default"))

    def problems(self) -> dict[str, str]:
        """Field name -> why its text is refused, in the reader's language."""
        found: dict[str, str] = {}
        for name, edit in self.edits.items():
            try:
                parse(name, edit.text())
            except GenerationError as exc:
                found[name] = exc.reason.render(QCoreApplication.translate)
        return found

    def values(self) -> dict[str, Any] | None:
        """The set fields' values, or None while any field is refused (its reason shown,
        the focus on the first such field)."""
        problems = self.problems()
        for name in self.edits:
            self._check(name)
        if problems:
            self.edits[next(iter(problems))].setFocus()
            return None
        values = {name: parse(name, edit.text()) for name, edit in self.edits.items()}
        return {name: value for name, value in values.items() if value is not None}

    def _check(self, name: str) -> None:
        try:
            parse(name, self.edits[name].text())
        except GenerationError as exc:
            self.errors[name].setText(exc.reason.render(QCoreApplication.translate))
            self.errors[name].setVisible(True)
        else:
            self.errors[name].setVisible(False)
        valid = not any(error.isVisibleTo(self) for error in self.errors.values())
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(valid)

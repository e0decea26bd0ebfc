"""The conversation's generation settings editor (Ctrl+Shift+G): Tab moves between the
fields, Enter saves, Esc cancels. A field refused keeps the dialog open with its reason.

For an AI Engine site it shows no fields: the bot's model, temperature and reply length
are set on the site and its chat route takes none of them from the app, so fields here
would do nothing; the dialog says so instead.

Below the fields, under "Tools", the conversation's tool step limit: how many rounds of
tool calls a reply may make (empty: the settings' `tool_step_limit`). It is kept in the
conversation's tool options, not with the generation settings the server is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.core.text import fill
from opchat_gui.ui.dialogs.generation_form import EDIT_WIDTH, GenerationForm


class StepLimitField(QWidget):
    """The conversation's tool step limit: empty (the default) or a whole number in range.
    Its `heading` and `label` go into the generation form's rows, so the columns align."""

    def __init__(self, value: int | None, default: int, maximum: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepLimitField")
        self.maximum = maximum
        self.edit = QLineEdit("" if value is None else str(value))
        self.edit.setObjectName("stepLimit")
        self.edit.setMinimumWidth(EDIT_WIDTH)
        self.edit.setPlaceholderText(fill(self.tr("%1 (default)"), default))
        self.edit.setAccessibleName(self.tr("Tool steps per reply"))
        self.edit.setToolTip(fill(self.tr(
            "How many rounds of tool calls the model may make in one reply before it must "
            "answer, from 1 to %1. Empty uses the default from the settings."), maximum))
        self.error = QLabel()
        self.error.setObjectName("stepLimitError")
        self.error.setForegroundRole(QPalette.ColorRole.BrightText)  # the theme's error colour
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.edit)
        column.addWidget(self.error)
        self.heading = QLabel(self.tr("Tools"))
        self.heading.setObjectName("stepLimitHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.label = QLabel(self.tr("Tool &steps per reply"))
        self.label.setBuddy(self.edit)
        self.edit.textChanged.connect(lambda _text: self.check())

    def problem(self) -> str:
        text = self.edit.text().strip()
        if not text:
            return ""
        if not text.isdigit() or not 1 <= int(text) <= self.maximum:
            return fill(self.tr("Type a whole number from 1 to %1, or leave it empty for "
                                "the default."), self.maximum)
        return ""

    def check(self) -> bool:
        """Show why the text is refused, if it is; True when it is acceptable."""
        problem = self.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        return not problem

    def value(self) -> int | None:
        """The limit typed (None: the default); only after check() said it is valid."""
        text = self.edit.text().strip()
        return int(text) if text else None


class GenerationDialog(QDialog):
    saved = Signal(dict)  # the conversation's overrides: field name -> value
    stepLimitSaved = Signal(object)  # the conversation's tool step limit (None: default)

    def __init__(self, values: Mapping[str, Any], *, takes_settings: bool,
                 defaults: Mapping[str, Any], provider_name: str,
                 step_limit: tuple[int | None, int, int] | None = None,
                 parent: QWidget | None = None) -> None:
        """`step_limit`: (the conversation's own, the default, the largest allowed), for
        a conversation whose replies may call tools; None shows no Tools field."""
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
        self.steps: StepLimitField | None = None
        if takes_settings:
            self.note.setText(fill(self.tr(
                "This conversation's settings for %1. An empty field uses the provider's "
                "default (shown in grey) or else the server's own, and is not sent."),
                provider_name))
            self.form = GenerationForm()
            self.form.set_values(values, defaults, self.tr("provider"))
            layout.addWidget(self.form)
            if step_limit is not None:
                self.steps = StepLimitField(*step_limit)
                rows = self.form.layout()
                assert isinstance(rows, QFormLayout)
                rows.addRow(self.steps.heading)
                rows.addRow(self.steps.label, self.steps)
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
            if self.steps is not None:
                self.steps.edit.clear()
            self.form.edits["temperature"].setFocus()

    def accept(self) -> None:
        """Save only when every field is valid; otherwise stay, the reason on show."""
        if self.form is not None:
            values = self.form.values()
            if values is None:
                return
            if self.steps is not None and not self.steps.check():
                self.steps.edit.setFocus()
                return
            self.saved.emit(values)
            if self.steps is not None:
                self.stepLimitSaved.emit(self.steps.value())
        super().accept()

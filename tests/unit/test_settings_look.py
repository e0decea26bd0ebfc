"""The settings dialog as a form: each field as wide as what it holds."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

from opchat_gui.config.settings import Settings
from opchat_gui.ui.dialogs.settings import SettingsDialog


def test_fields_are_as_wide_as_what_they_hold(qapp, qtbot, tmp_path):
    dialog = SettingsDialog(Settings.load(tmp_path / "settings.json"), tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    em = dialog.fontMetrics().horizontalAdvance("M")
    for page in dialog.page_ids:
        dialog.show_page(page)
        qtbot.wait(1)
        width = dialog.stack.currentWidget().width()
        for key, editor in dialog.editors.items():
            if not editor.isVisible():
                continue
            if isinstance(editor, QSpinBox):  # a number: short
                assert editor.width() <= 10 * em, key
            elif isinstance(editor, QComboBox):  # a choice: its whole text shows
                text = editor.fontMetrics().horizontalAdvance(editor.currentText())
                assert text < editor.width() <= 31 * em, key
            elif isinstance(editor, QLineEdit):
                assert editor.width() <= 30 * em < width, key
    dialog.close()

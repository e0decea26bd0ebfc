"""The settings dialog, built from the settings table: a page list on the left, pages right.

Every edit applies at once (the window listens to `Settings.changed`); the file is
written when the dialog closes. Other parts of the app host their own pages with
`add_page` (providers, key bindings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.chat.settings_signal import settings_signal
from opchat_gui.config.settings import CONTEXT, PAGES, SETTINGS, Setting, Settings


def _t(text: str) -> str:
    """A table label in the reader's language (the table marks them for lupdate)."""
    return QCoreApplication.translate(CONTEXT, text)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, data_folder: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.resize(900, 580)
        self.editors: dict[str, QWidget] = {}
        self.problems: dict[str, QLabel] = {}

        self.page_list = QListWidget()
        self.page_list.setObjectName("settingsPages")
        self.page_list.setAccessibleName(self.tr("Settings pages"))
        self.page_list.setMaximumWidth(180)
        self.stack = QStackedWidget()
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_ids: list[str] = []
        for page_id, label in PAGES:
            self.add_page(page_id, _t(label), self._build_page(page_id))
        self.add_page("data", self.tr("Data"), self._data_page(data_folder))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.reset_button = buttons.addButton(self.tr("Restore defaults"),
                                              QDialogButtonBox.ButtonRole.ResetRole)
        self.reset_button.setToolTip(self.tr("Put every setting on this page back to its "
                                             "default"))
        self.reset_button.clicked.connect(self.restore_page_defaults)
        for button in buttons.buttons():
            button.setIcon(QIcon())  # Fusion's stock icons look out of place here
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.page_list.currentRowChanged.connect(self._on_page_changed)
        self.page_list.setCurrentRow(0)
        self.finished.connect(self._save)
        # e.g. the zoom keys change font sizes
        settings_signal(settings).changed.connect(self._show_value)

    def add_page(self, page_id: str, title: str, widget: QWidget) -> None:
        """Host a page (the providers page, the key bindings page…) after the others."""
        self.page_ids.append(page_id)
        item = QListWidgetItem(title)
        item.setSizeHint(QSize(0, self.fontMetrics().height() + 14))
        self.page_list.addItem(item)
        self.stack.addWidget(widget)

    def show_page(self, page_id: str) -> None:
        self.page_list.setCurrentRow(self.page_ids.index(page_id))

    def restore_page_defaults(self) -> None:
        """Every table setting on the page on screen back to its default, applied at once."""
        page_id = self.page_ids[self.page_list.currentRow()]
        for setting in SETTINGS:
            if setting.page == page_id:
                self._set(setting.key, setting.default)

    def _on_page_changed(self, row: int) -> None:
        page_id = self.page_ids[row] if 0 <= row < len(self.page_ids) else ""
        self.reset_button.setEnabled(any(s.page == page_id for s in SETTINGS))

    # Pages from the table

    def _build_page(self, page_id: str) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        for setting in SETTINGS:
            if setting.page != page_id:
                continue
            editor = self._editor(setting)
            editor.setObjectName(f"setting_{setting.key}")
            editor.setToolTip(_t(setting.help))
            self.editors[setting.key] = editor
            field = QWidget()
            field.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            column = QVBoxLayout(field)
            column.setContentsMargins(0, 0, 0, 6)
            column.setSpacing(2)
            editor.setMaximumWidth(self._field_width(editor))
            column.addWidget(editor)
            column.addWidget(self._muted(_t(setting.help)))
            if setting.key == "language":
                column.addWidget(self._muted(self.tr("A new language shows after a restart.")))
            problem = QLabel()
            problem.setObjectName(f"problem_{setting.key}")
            problem.setVisible(False)
            problem.setWordWrap(True)
            problem.setStyleSheet("color: palette(bright-text);")
            column.addWidget(problem)
            self.problems[setting.key] = problem
            if setting.kind is bool:  # the box's own words label it, in the field column
                form.addRow(QLabel(), field)
            else:
                label = QLabel(_t(setting.label))
                label.setBuddy(editor)
                form.addRow(label, field)
        return page

    def _field_width(self, editor: QWidget) -> int:
        """A field as wide as what it holds: a number is short, a choice or a name longer;
        only free text takes the page's width (a 1,568 px field for a number reads badly)."""
        em = self.fontMetrics().horizontalAdvance("M")
        if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            return 9 * em
        if isinstance(editor, QComboBox):  # its longest choice, within reason
            return max(14 * em, min(editor.sizeHint().width() + em, 30 * em))
        if isinstance(editor, QLineEdit):
            return 30 * em
        return 16_777_215  # Qt's QWIDGETSIZE_MAX: no limit

    def _editor(self, setting: Setting) -> QWidget:
        value = self.settings[setting.key]
        if setting.kind is bool:
            box = QCheckBox(_t(setting.label))
            box.setChecked(bool(value))
            box.toggled.connect(lambda on, key=setting.key: self._set(key, on))
            return box
        if setting.choices or setting.editor == "font":
            combo = QComboBox()
            if setting.choices:
                for choice, label in setting.choices:
                    combo.addItem(_t(label), choice)
            else:
                combo.addItem(self.tr("Desktop default"), "")
                for family in QFontDatabase.families():
                    combo.addItem(family, family)
            index = combo.findData(value)
            if index < 0:
                combo.addItem(str(value), value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
            combo.currentIndexChanged.connect(
                lambda i, key=setting.key, c=combo: self._set(key, c.itemData(i)))
            return combo
        if setting.kind is int:
            spin = QSpinBox()
            spin.setRange(int(setting.minimum or 0), int(setting.maximum or 1_000_000))
            spin.setValue(int(value))
            spin.valueChanged.connect(lambda v, key=setting.key: self._set(key, v))
            return spin
        if setting.kind is float:
            dspin = QDoubleSpinBox()
            dspin.setRange(setting.minimum or 0.0, setting.maximum or 1e9)
            dspin.setDecimals(0 if (setting.minimum or 0) >= 1 else 1)
            dspin.setSuffix(self.tr(" s"))
            dspin.setValue(float(value))
            dspin.valueChanged.connect(lambda v, key=setting.key: self._set(key, v))
            return dspin
        if setting.multiline:
            text = QPlainTextEdit(str(value))
            text.setTabChangesFocus(True)
            text.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
            text.textChanged.connect(
                lambda key=setting.key, t=text: self._set(key, t.toPlainText()))
            return text
        line = QLineEdit(str(value))
        line.textEdited.connect(lambda v, key=setting.key: self._set(key, v))
        return line

    def _data_page(self, data_folder: Path | None) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        path = QLineEdit(str(data_folder) if data_folder else "")
        path.setObjectName("dataFolder")
        path.setReadOnly(True)
        open_button = QPushButton(self.tr("Open data folder"))
        open_button.setObjectName("openDataFolder")
        open_button.setEnabled(data_folder is not None)
        open_button.clicked.connect(lambda: self.open_folder(data_folder))
        row = QHBoxLayout()
        row.addWidget(path, 1)
        row.addWidget(open_button)
        form.addRow(self.tr("Data folder"), row)
        form.addRow(self._muted(self.tr(
            "History, settings and logs live here. Start opchat-gui with --data-dir DIR to "
            "keep everything in another folder, for example on a USB stick.")))
        if self.settings.path is not None:
            settings_path = QLineEdit(str(self.settings.path))
            settings_path.setReadOnly(True)
            form.addRow(self.tr("Settings file"), settings_path)
        return page

    @staticmethod
    def open_folder(folder: Path | None) -> bool:
        if folder is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    @staticmethod
    def _muted(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("settingHint")  # the theme draws hints in its muted colour
        label.setWordWrap(True)
        return label

    # Changes

    def _show_value(self, key: str, value: object) -> None:
        """Make an editor show a value that changed elsewhere, without echoing it back."""
        editor = self.editors.get(key)
        if editor is None:
            return
        blocked = editor.blockSignals(True)
        try:
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox):
                index = editor.findData(value)
                if index < 0:
                    editor.addItem(str(value), value)
                    index = editor.count() - 1
                editor.setCurrentIndex(index)
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))  # type: ignore[call-overload]
            elif isinstance(editor, QDoubleSpinBox):
                editor.setValue(float(value))  # type: ignore[arg-type]
            elif isinstance(editor, QPlainTextEdit):
                if editor.toPlainText() != value:
                    editor.setPlainText(str(value))
            elif isinstance(editor, QLineEdit) and editor.text() != value:
                editor.setText(str(value))
        finally:
            editor.blockSignals(blocked)

    def _set(self, key: str, value: Any) -> None:
        problem = self.settings.set(key, value)
        label = self.problems[key]
        label.setText(problem.render(QCoreApplication.translate) if problem else "")
        label.setVisible(problem is not None)

    def _save(self, _result: int = 0) -> None:
        if not self.settings.dirty:
            return
        error = self.settings.save()
        if error and self.parent() is not None:
            show = getattr(self.parent(), "show_problem", None)
            if callable(show):
                show(error.render(QCoreApplication.translate))

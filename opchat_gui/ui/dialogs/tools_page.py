"""The Tools settings page: the MCP servers of mcp_servers.json, keyboard first.

The list of servers on the left (Up/Down); on the right the selected one's form (a local
command with its arguments, environment and folder, or a URL with headers), Enabled,
and its always-allowed tools (Del, or Revoke, forgets one: its next call asks again).
Test starts the server if it is not running and lists its tools, or says why it could
not start. Every button has its Alt mnemonic.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.chat.tool_servers import ToolServers
from opchat_gui.core.text import fill

ROLE = Qt.ItemDataRole.UserRole
FIELDS = ("name", "command", "args", "env", "cwd", "url", "headers")


class AllowedList(QListWidget):
    """The always-allowed tools; Del revokes the current one."""

    def __init__(self, revoke: object) -> None:
        super().__init__()
        self._revoke = revoke

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentItem():
            self._revoke()  # type: ignore[operator]
            return
        super().keyPressEvent(event)


class ToolsPage(QWidget):
    def __init__(self, servers: ToolServers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolsPage")
        self.servers = servers
        self.editing = ""  # the server the form shows ("" for a new one)
        self.list = QListWidget()
        self.list.setObjectName("toolServerList")
        self.list.setAccessibleName(self.tr("Tool servers"))
        self.list.setMaximumWidth(160)
        self.list.currentItemChanged.connect(self._on_current)
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        labels = {"name": self.tr("&Name"), "command": self.tr("Co&mmand"),
                  "args": self.tr("A&rguments"), "env": self.tr("En&vironment (NAME=value)"),
                  "cwd": self.tr("&Folder"), "url": self.tr("or &URL (streamable HTTP)"),
                  "headers": self.tr("&Headers (Name: value)")}
        for key in FIELDS:
            widget: QLineEdit | QPlainTextEdit
            if key in ("env", "headers"):
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setFixedHeight(widget.fontMetrics().lineSpacing() * 3 + 12)
            else:
                widget = QLineEdit()
            widget.setObjectName(f"toolServer_{key}")
            label = QLabel(labels[key])
            label.setBuddy(widget)
            form.addRow(label, widget)
            self.inputs[key] = widget
        self.enabled = QCheckBox(self.tr("&Enabled: offer its tools to models"))
        self.enabled.setObjectName("toolServerEnabled")
        self.enabled.toggled.connect(self._on_enabled)
        form.addRow(self.enabled)
        self.allowed = AllowedList(self.revoke)
        self.allowed.setObjectName("toolServerAllowed")
        self.allowed.setAccessibleName(self.tr("Always allowed tools"))
        self.allowed.setFixedHeight(self.allowed.fontMetrics().lineSpacing() * 4 + 10)
        allowed_label = QLabel(self.tr("&Always allowed (Del revokes)"))
        allowed_label.setBuddy(self.allowed)
        form.addRow(allowed_label, self.allowed)
        self.status = QLabel()
        self.status.setObjectName("toolServerStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("new", self.tr("Ne&w"), self.start_new),
                                ("save", self.tr("&Save"), self.save),
                                ("test", self.tr("&Test"), self.test),
                                ("revoke", self.tr("Rev&oke"), self.revoke),
                                ("remove", self.tr("&Delete server"), self.remove)):
            button = QPushButton(text)
            button.setObjectName(f"toolServer_{key}Button")
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        right = QVBoxLayout()
        note = QLabel(self.tr("Servers in the mcpServers shape of Claude Desktop; secrets in "
                              "the environment and headers go to the key store. A server "
                              "starts when a reply first offers its tools, never with the "
                              "app."))
        note.setWordWrap(True)
        note.setObjectName("toolServerNote")
        right.addWidget(note)
        right.addLayout(form)
        right.addLayout(buttons)
        right.addWidget(self.status)
        right.addStretch(1)
        row = QHBoxLayout(self)
        row.addWidget(self.list)
        row.addLayout(right, 1)
        servers.tested.connect(self._on_tested)
        servers.changed.connect(self.refresh)
        self.refresh()
        if servers.problem:
            self.status.setText(servers.problem)

    def refresh(self) -> None:
        keep = self.editing
        self.list.blockSignals(True)
        self.list.clear()
        for name in self.servers.names():
            entry = self.servers.entry(name)
            off = entry is not None and entry.disabled
            item = QListWidgetItem(name + (self.tr(" (off)") if off else ""))
            item.setData(ROLE, name)
            self.list.addItem(item)
            if name == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._show(keep if keep in self.servers.names() else "")

    def start_new(self) -> None:
        self.list.setCurrentRow(-1)
        self._show("")
        self.inputs["name"].setFocus()

    def _on_current(self, current: QListWidgetItem | None, _previous: object) -> None:
        self._show(str(current.data(ROLE)) if current is not None else "")
        self.status.clear()

    def _show(self, name: str) -> None:
        self.editing = name
        values = self.servers.form_values(name)
        for key, widget in self.inputs.items():
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(values[key])
            else:
                widget.setText(values[key])
        entry = self.servers.entry(name)
        self.enabled.blockSignals(True)
        self.enabled.setChecked(entry is not None and not entry.disabled)
        self.enabled.setEnabled(entry is not None)
        self.enabled.blockSignals(False)
        self.allowed.clear()
        for tool in entry.always_allow if entry is not None else ():
            self.allowed.addItem(tool)
        for key in ("test", "revoke", "remove"):
            self.buttons[key].setEnabled(entry is not None)

    def _values(self) -> dict[str, str]:
        return {key: (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text())
                for key, w in self.inputs.items()}

    def save(self) -> None:
        name = self._values()["name"].strip()
        problem = self.servers.save(self.editing, self._values())
        if problem:
            self.status.setText(problem)
            return
        self.editing = name
        self.refresh()
        self.status.setText(fill(self.tr("Saved %1."), name))

    def test(self) -> None:
        if self.editing:
            self.status.setText(fill(self.tr("Starting %1…"), self.editing))
            self.servers.test(self.editing)

    def _on_tested(self, name: str, ok: bool, text: str) -> None:
        if name != self.editing:
            return
        self.status.setText(fill(self.tr("%1 started; its tools: %2"), name, text) if ok
                            else fill(self.tr("%1 could not start: %2"), name, text))

    def revoke(self) -> None:
        item = self.allowed.currentItem() or self.allowed.item(0)
        if not self.editing or item is None:
            return
        tool = item.text()
        problem = self.servers.revoke(self.editing, tool)
        self.status.setText(problem or fill(self.tr("%1 asks again before each call."), tool))

    def remove(self) -> None:
        if not self.editing:
            return
        name = self.editing
        problem = self.servers.remove(name)
        if not problem:
            self.editing = ""
            self.refresh()
        self.status.setText(problem or fill(self.tr("Removed %1."), name))

    def _on_enabled(self, checked: bool) -> None:
        if self.editing:
            problem = self.servers.set_enabled(self.editing, checked)
            if problem:
                self.status.setText(problem)


__all__ = ["ToolsPage"]

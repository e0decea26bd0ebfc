"""The question before a tool call runs, under the transcript: which tool, on which
server, with which arguments (pretty-printed JSON), and three answers, each on a key of
the key map (tool_allow_once, tool_allow_always, tool_deny). It never takes the focus:
a user typing in the composer does not answer it by accident; Esc stops the whole turn.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.chat.tool_turns import ALWAYS, DENY, ONCE, Approval
from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

ACTIONS = {ONCE: "tool_allow_once", ALWAYS: "tool_allow_always", DENY: "tool_deny"}
MAX_LINES = 10  # the arguments box grows to this many lines, then scrolls


class ToolApprovalBar(QFrame):
    answered = Signal(str)  # ONCE, ALWAYS or DENY

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolApproval")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.approval: Approval | None = None
        self.title = QLabel()
        self.title.setObjectName("toolApprovalTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.arguments = QPlainTextEdit()
        self.arguments.setObjectName("toolApprovalArguments")
        self.arguments.setReadOnly(True)
        self.arguments.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.arguments.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.arguments.setAccessibleName(self.tr("Arguments"))
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addStretch(1)
        for decision in (DENY, ALWAYS, ONCE):
            button = QPushButton()
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, d=decision: self.answered.emit(d))
            self.buttons[decision] = button
            row.addWidget(button)
        self.buttons[ONCE].setDefault(True)
        self.buttons[ONCE].setObjectName("toolAllowOnce")
        self.buttons[ALWAYS].setObjectName("toolAllowAlways")
        self.buttons[DENY].setObjectName("toolDeny")
        self.hint = QLabel()
        self.hint.setObjectName("toolApprovalHint")
        self.hint.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 8, 10, 8)
        column.addWidget(self.title)
        column.addWidget(self.arguments)
        column.addWidget(self.hint)
        column.addLayout(row)
        self.setVisible(False)
        self.refresh_keys()

    def show_approval(self, approval: Approval | None) -> None:
        """Ask about this call (None: nothing waits, hide)."""
        self.approval = approval
        if approval is None:
            self.setVisible(False)
            return
        self.title.setText(fill(self.tr("The model wants to run the tool %1 on the server %2. "
                                        "Allow it?"), approval.tool, approval.server))
        self.arguments.setPlainText(approval.arguments)
        lines = max(1, min(MAX_LINES, approval.arguments.count("\n") + 1))
        height = self.arguments.fontMetrics().lineSpacing() * lines
        self.arguments.setFixedHeight(height + 2 * self.arguments.frameWidth() + 10)
        self.refresh_keys()
        self.setVisible(True)

    def refresh_keys(self) -> None:
        """Button texts name the current bindings (called again when they change)."""
        self.buttons[ONCE].setText(keymap.with_hint(self.tr("Allow once"), ACTIONS[ONCE]))
        self.buttons[ALWAYS].setText(keymap.with_hint(self.tr("Always allow this tool"),
                                                      ACTIONS[ALWAYS]))
        self.buttons[DENY].setText(keymap.with_hint(self.tr("Deny"), ACTIONS[DENY]))
        self.hint.setText(fill(self.tr("Always allow is remembered for this tool of this "
                                       "server; revoke it in the settings. %1 stops the "
                                       "whole reply."), keymap.named("stop")))


__all__ = ["ACTIONS", "ToolApprovalBar"]

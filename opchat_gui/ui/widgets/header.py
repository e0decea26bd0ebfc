"""The conversation's header: its title, a provider-and-model button that opens the picker,
and the conversation's actions as icon buttons (each runs the command its key runs)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from opchat_gui.ui.icons import ThemedIcons
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.theme import ThemeManager

# (action id in the keymap, icon): what the buttons on the right run.
ACTIONS = (
    ("rename_conversation", "pencil"),
    ("toggle_pin", "pin"),
    ("edit_system_prompt", "message-square"),
    ("edit_generation", "sliders-horizontal"),
    ("delete_conversation", "trash-2"),
)


class ConversationHeader(QWidget):
    pickRequested = Signal()
    actionRequested = Signal(str)  # an action id of the keymap

    def __init__(self, themes: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icons = ThemedIcons(themes, self)
        self.title = QLabel()
        self.title.setObjectName("conversationHeader")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.target = QToolButton()
        self.target.setObjectName("targetButton")
        self.target.setAutoRaise(True)
        self.target.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+M is the keyboard path
        self.target.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.target.clicked.connect(self.pickRequested)
        self.buttons: dict[str, QToolButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.title, 1)
        row.addWidget(self.target)
        for action, icon_name in ACTIONS:
            button = QToolButton()
            button.setObjectName(f"header_{action}")
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(keymap.label(action))
            self.icons.bind(button, icon_name)
            button.clicked.connect(lambda _checked=False, a=action: self.actionRequested.emit(a))
            row.addWidget(button)
            self.buttons[action] = button
        self.refresh_tooltips()

    def refresh_tooltips(self) -> None:
        self.target.setToolTip(keymap.with_hint(keymap.label("choose_model"), "choose_model"))
        for action, button in self.buttons.items():
            button.setToolTip(keymap.with_hint(keymap.label(action), action))

    def show_conversation(self, title: str, target: str, *, has_conversation: bool) -> None:
        self.title.setText(title)
        self.title.setToolTip(title)
        self.target.setText(target)
        self.target.setVisible(bool(target))
        for button in self.buttons.values():
            button.setVisible(has_conversation)
        # Not refresh_tooltips(): they change with the bindings only (the window calls it
        # then), and translating them took ~12 ms of every send's path (b9_latency).

    def text(self) -> str:
        """What the header says, as one line (title · provider · model)."""
        target = self.target.text()
        return f"{self.title.text()}  ·  {target}" if target else self.title.text()

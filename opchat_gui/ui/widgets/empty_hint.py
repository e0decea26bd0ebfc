"""What an empty conversation shows over the transcript: the provider and model in use, a few
example prompts picked by key (they fill the composer), and the key that lists every key."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

PROMPT_KEYS = ("Ctrl+1", "Ctrl+2", "Ctrl+3")  # free in the keymap; only while this shows
PADDING = 12  # pixels left and right of a prompt button's text (its style sheet's padding)


class EmptyConversation(QWidget):
    """Laid over the transcript's viewport (the transcript keeps its focus and tab order)."""

    promptChosen = Signal(str)

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("emptyConversation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.target = QLabel()
        self.target.setObjectName("emptyTarget")
        self.target.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.target.setWordWrap(True)
        self.try_label = QLabel(self.tr("Try one of these:"))
        self.try_label.setObjectName("emptyMuted")
        self.try_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompts = [
            self.tr("Explain what an event loop is, in three short paragraphs."),
            self.tr("Write a Python function that removes duplicate lines from a file, "
                    "with a test."),
            self.tr("Compare SQLite, PostgreSQL and DuckDB in a small table."),
        ]
        self.buttons: list[QPushButton] = []
        self.full_texts: list[str] = []  # each button's text when it has the room
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(self.target)
        column.addSpacing(12)
        column.addWidget(self.try_label)
        for key, prompt in zip(PROMPT_KEYS, self.prompts, strict=True):
            shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            button = QPushButton(f"{shown}   {prompt}")
            self.full_texts.append(button.text())
            button.setObjectName("emptyPrompt")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys are the keyboard path
            button.setStyleSheet(f"text-align: left; padding: 6px {PADDING}px;")
            button.clicked.connect(lambda _c=False, p=prompt: self.promptChosen.emit(p))
            column.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self.buttons.append(button)
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # off while hidden
            shortcut.activated.connect(lambda p=prompt: self.promptChosen.emit(p))
        column.addSpacing(12)
        self.keys = QLabel()
        self.keys.setObjectName("emptyMuted")
        self.keys.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.keys)
        column.addStretch(2)
        host.installEventFilter(self)
        self.hide()

    def show_target(self, label: str) -> None:
        """The provider and model a message sent now would go to, and the help key as bound."""
        self.target.setText(fill(self.tr("Chatting with %1"), label) if label
                            else self.tr("New conversation"))
        keys = keymap.keys_for("show_shortcuts")
        shown = keymap.display(keys[:1]) if keys else ""
        self.keys.setText(fill(self.tr("%1 shows every key"), shown) if shown else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_prompts()

    def _fit_prompts(self) -> None:
        """A push button cannot wrap: a prompt wider than the pane (a long translation in
        a narrow window) is cut with '…' and its tooltip holds all of it."""
        margins = self.contentsMargins()
        layout = self.layout()
        if layout is not None:
            margins = layout.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        for button, full, prompt in zip(self.buttons, self.full_texts, self.prompts,
                                        strict=True):
            button.setMaximumWidth(max(room, 0))
            text = button.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight,
                                                   room - 2 * PADDING - 8)
            button.setText(text)
            button.setToolTip(prompt if text != full else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect().adjusted(2, 2, -2, -2))
        return False

    def showEvent(self, event: object) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect().adjusted(2, 2, -2, -2))
        super().showEvent(event)  # type: ignore[arg-type]

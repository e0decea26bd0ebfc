"""What an empty conversation shows over the transcript: the provider and model in use, a few
example prompts picked by key (they fill the composer), and the key that lists every key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

PROMPT_KEYS = ("Ctrl+1", "Ctrl+2", "Ctrl+3")  # free in the keymap; only while this shows
NBSP = "\u00a0"  # a continuation's indent: plain spaces at a line's start are not drawn
PADDING = 12  # pixels left and right of a prompt button's text (its style sheet's padding)


def wrap_words(text: str, advance: Callable[[str], int], width: int, first: str = "",
               rest: str = "") -> list[str]:
    """`text` broken at spaces into lines no wider than `width` (as `advance` measures
    them), the first line led by `first`, the others by `rest`; a word wider than a line
    keeps a line of its own."""
    lines: list[str] = []
    line, words = first, 0
    for word in text.split():
        candidate = f"{line} {word}" if words else line + word
        if words and advance(candidate) > width:
            lines.append(line)
            line = rest + word
        else:
            line = candidate
        words += 1
    lines.append(line)
    return lines


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
        """A push button cannot wrap its text: a prompt wider than the pane (a long
        translation in a narrow window) is broken into lines here, each continuation
        indented under the prompt's first word, so all of it shows."""
        margins = self.contentsMargins()
        layout = self.layout()
        if layout is not None:
            margins = layout.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        for button, full in zip(self.buttons, self.full_texts, strict=True):
            button.setMaximumWidth(max(room, 0))
            metrics = button.fontMetrics()
            key, _, prompt = full.partition("   ")
            lead = f"{key}   "
            indent = NBSP * max(1, round(metrics.horizontalAdvance(lead)
                                         / max(1, metrics.horizontalAdvance(NBSP))))
            width = room - 2 * PADDING - 8
            lines = wrap_words(prompt, metrics.horizontalAdvance, width, first=lead,
                               rest=indent)
            # Balanced: the narrowest width that needs no more lines, so a wrapped prompt
            # is not one full line and a word left alone on the next.
            words = prompt.split()
            widest = max([metrics.horizontalAdvance(lead + words[0]) if words else 0,
                          *(metrics.horizontalAdvance(indent + word) for word in words)])
            while len(lines) > 1 and width - 8 >= widest:
                narrower = wrap_words(prompt, metrics.horizontalAdvance, width - 8,
                                      first=lead, rest=indent)
                if len(narrower) > len(lines):
                    break
                width, lines = width - 8, narrower
            shown = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
                     for line in lines]  # (only a word wider than the pane is cut)
            button.setText("\n".join(shown))
            button.setToolTip(prompt if shown != lines else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect().adjusted(2, 2, -2, -2))
        return False

    def showEvent(self, event: object) -> None:
        # The host's size is followed only while shown: a Python filter on the transcript
        # costs each of its events a wrapper, and a streamed update posts it one
        # (QAbstractScrollArea's queued scroll-bar check): 0.1 ms an update of B1.
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect().adjusted(2, 2, -2, -2))
            parent.installEventFilter(self)
        super().showEvent(event)  # type: ignore[arg-type]

    def hideEvent(self, event: object) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        super().hideEvent(event)  # type: ignore[arg-type]

"""Every key binding, in one table: actions, the help overlay and the README come from it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeyEvent, QKeySequence


@dataclass(frozen=True)
class Binding:
    action: str
    keys: tuple[str, ...]  # portable QKeySequence text; Ctrl means Cmd on macOS
    label: str
    scope: str = "window"  # "window": anywhere in the main window; "composer": while typing


KEYMAP: tuple[Binding, ...] = (
    Binding("send", ("Return", "Enter"), "Send the message", "composer"),
    Binding("newline", ("Shift+Return", "Shift+Enter"), "Insert a new line", "composer"),
    Binding("stop", ("Esc",), "Stop the reply that is streaming"),
    Binding("retry", ("Ctrl+R",), "Retry the last reply"),
    Binding("new_conversation", ("Ctrl+N",), "Start a new conversation"),
    Binding("previous_conversation", ("Ctrl+PgUp",), "Go to the previous conversation"),
    Binding("next_conversation", ("Ctrl+PgDown",), "Go to the next conversation"),
    Binding("focus_composer", ("Ctrl+L",), "Move the focus to the composer"),
    Binding("quit", ("Ctrl+Q",), "Quit"),
    Binding("settings", ("Ctrl+,",), "Open the settings"),
)

BY_ACTION: dict[str, Binding] = {binding.action: binding for binding in KEYMAP}


def sequences(action: str) -> list[QKeySequence]:
    return [QKeySequence(key) for key in BY_ACTION[action].keys]


def matches(action: str, event: QKeyEvent) -> bool:
    """Whether a key press is one of the action's bindings (for keys widgets handle)."""
    pressed = QKeySequence(event.keyCombination())
    return any(pressed.matches(seq) == QKeySequence.SequenceMatch.ExactMatch
               for seq in sequences(action))

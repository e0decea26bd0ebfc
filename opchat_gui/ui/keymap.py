"""Every key binding, in one table: actions, the help overlay and the README come from it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeyEvent, QKeySequence


@dataclass(frozen=True)
class Binding:
    action: str
    keys: tuple[str, ...]  # portable QKeySequence text; Ctrl means Cmd on macOS
    label: str
    scope: str = "window"  # "window": anywhere in the main window; "composer": while typing;
    # "history_menu": an entry of the History menu (ui/data_menu.py), active window-wide


KEYMAP: tuple[Binding, ...] = (
    Binding("send", ("Return", "Enter"), "Send the message", "composer"),
    Binding("newline", ("Shift+Return", "Shift+Enter"), "Insert a new line", "composer"),
    Binding("stop", ("Esc",), "Stop the reply that is streaming"),
    Binding("retry", ("Ctrl+R",),
            "Retry the last reply if it failed or stopped, else regenerate it"),
    Binding("new_conversation", ("Ctrl+N",), "Start a new conversation"),
    Binding("previous_conversation", ("Ctrl+PgUp",), "Go to the previous conversation"),
    Binding("next_conversation", ("Ctrl+PgDown",), "Go to the next conversation"),
    Binding("focus_composer", ("Ctrl+L",), "Move the focus to the composer"),
    Binding("quit", ("Ctrl+Q",), "Quit"),
    Binding("settings", ("Ctrl+,",), "Open the settings"),
    Binding("edit_last", ("Up",), "Edit your last message (in an empty composer)", "composer"),
    Binding("copy_reply", ("Ctrl+Shift+C",),
            "Copy the chosen message as Markdown (else the last reply)"),
    Binding("copy_code", ("Ctrl+Alt+C",), "Copy the last code block"),
    Binding("previous_message", ("Alt+Up",), "Choose the previous message"),
    Binding("next_message", ("Alt+Down",), "Choose the next message"),
    Binding("delete_message", ("Alt+Delete",), "Delete the chosen message"),
    Binding("continue_reply", ("Ctrl+Shift+R",), "Continue a reply that was cut off"),
    Binding("export_conversation", ("Ctrl+S",),
            "Export this conversation (Markdown or JSON)", "history_menu"),
    Binding("export_all", ("Ctrl+Alt+S",),
            "Export all conversations (Markdown files and one JSON)", "history_menu"),
    Binding("import_file", ("Ctrl+O",),
            "Import conversations (opchat-gui JSON or ChatGPT conversations.json)",
            "history_menu"),
    Binding("backup_now", ("Ctrl+Shift+B",), "Back up the history now", "history_menu"),
    Binding("restore_backup", ("Ctrl+Shift+O",), "Restore the history from a backup…",
            "history_menu"),
    Binding("choose_model", ("Ctrl+M",), "Choose the provider and model"),
    Binding("edit_system_prompt", ("Ctrl+Shift+S",), "Edit the conversation's system prompt"),
    Binding("manage_providers", ("Ctrl+Shift+M",), "Add, edit or remove providers"),
)

BY_ACTION: dict[str, Binding] = {binding.action: binding for binding in KEYMAP}


def sequences(action: str) -> list[QKeySequence]:
    return [QKeySequence(key) for key in BY_ACTION[action].keys]


def matches(action: str, event: QKeyEvent) -> bool:
    """Whether a key press is one of the action's bindings (for keys widgets handle)."""
    pressed = QKeySequence(event.keyCombination())
    return any(pressed.matches(seq) == QKeySequence.SequenceMatch.ExactMatch
               for seq in sequences(action))

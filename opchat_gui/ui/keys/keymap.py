"""Every key binding, in one table: actions, the help overlay and the README come from it.

Keys are written as portable QKeySequence text, so "Ctrl" is Cmd on macOS. A user's
rebindings are kept apart from the table (`set_overrides`, saved as JSON beside the
settings) so a new default reaches everyone who did not change that action.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QKeyEvent, QKeySequence

from opchat_gui.core.files import write_atomic
from opchat_gui.core.text import fill

log = logging.getLogger(__name__)
KEYMAP_CONTEXT = "Keymap"  # the translation context (opchat_gui.app.i18n uses the same)


@dataclass(frozen=True)
class Binding:
    action: str
    keys: tuple[str, ...]  # portable QKeySequence text; Ctrl means Cmd on macOS
    label: str
    scope: str = "window"  # where it applies: a key of SCOPES


# Where a binding applies. "window" bindings are QActions, listed in the menu bar
# (ui/keys/registry.py); the others are keys that one kind of widget reads itself.
SCOPES: dict[str, str] = {
    "window": QT_TRANSLATE_NOOP("Keymap", "Anywhere"),
    "composer": QT_TRANSLATE_NOOP("Keymap", "In the composer"),
    "find": QT_TRANSLATE_NOOP("Keymap", "In the find bar"),
    "panel": QT_TRANSLATE_NOOP("Keymap", "In a list panel (switcher, search)"),
    "attachment": QT_TRANSLATE_NOOP("Keymap", "On an attachment above the composer"),
    "viewer": QT_TRANSLATE_NOOP("Keymap", "In the attachment viewer"),
    "table": QT_TRANSLATE_NOOP("Keymap", "On a wide table in the transcript"),
}
WINDOW_WIDE = frozenset({"window"})

_GO_TO = tuple(Binding(f"go_to_{n}", (f"Alt+{n}",), f"Go to conversation {n} in the list")
               for n in range(1, 10))

# Labels are translated where shown (label()); lupdate finds them in ui/keymap_strings.py,
# which scripts/update-translations.sh generates from this table.
KEYMAP: tuple[Binding, ...] = (
    Binding("send", ("Return", "Enter"), "Send the message", "composer"),
    Binding("newline", ("Shift+Return", "Shift+Enter"), "Insert a new line", "composer"),
    Binding("stop", ("Esc",), "Close the open panel, or stop the reply that is streaming"),
    Binding("retry", ("Ctrl+R",),
            "Retry the last reply if it failed or stopped, else regenerate it"),
    Binding("new_conversation", ("Ctrl+N",), "Start a new conversation"),
    Binding("focus_composer", ("Ctrl+L",), "Move the focus to the composer"),
    Binding("toggle_sidebar", ("Ctrl+B",), "Show or hide the conversation list"),
    Binding("quick_switcher", ("Ctrl+K",), "Switch to a conversation by its title"),
    Binding("search_history", ("Ctrl+Shift+F",), "Search all conversations"),
    Binding("find_in_conversation", ("Ctrl+F",), "Find in this conversation"),
    Binding("find_next", ("F3",), "Find the next match"),
    Binding("find_previous", ("Shift+F3",), "Find the previous match"),
    Binding("find_bar_next", ("Return", "Enter"), "Next match", "find"),
    Binding("find_bar_previous", ("Shift+Return", "Shift+Enter"), "Previous match", "find"),
    Binding("panel_down", ("Down",), "Select the next item", "panel"),
    Binding("panel_up", ("Up",), "Select the previous item", "panel"),
    Binding("panel_open", ("Return", "Enter"), "Open the selected item", "panel"),
    Binding("rename_conversation", ("F2",), "Rename this conversation"),
    Binding("delete_conversation", ("Ctrl+Shift+Backspace",),
            "Delete this conversation (undo for 10 seconds)"),
    Binding("undo_delete", ("Ctrl+Alt+Z",), "Undo the last delete"),
    Binding("toggle_pin", ("Ctrl+Shift+P",), "Pin or unpin this conversation"),
    Binding("next_conversation", ("Ctrl+Tab", "Ctrl+PgDown"), "Go to the next conversation"),
    Binding("previous_conversation", ("Ctrl+Shift+Tab", "Ctrl+PgUp"),
            "Go to the previous conversation"),
    *_GO_TO,
    Binding("scroll_start", ("Ctrl+Home",), "Scroll the transcript to the first message"),
    Binding("scroll_end", ("Ctrl+End",),
            "Scroll the transcript to the latest message (and follow the reply again)"),
    Binding("zoom_in", ("Ctrl+=", "Ctrl++"), "Make the text larger"),
    Binding("zoom_out", ("Ctrl+-",), "Make the text smaller"),
    Binding("zoom_reset", ("Ctrl+0",), "Reset the text size"),
    Binding("show_shortcuts", ("F1", "Ctrl+/"), "Show the keyboard shortcuts"),
    Binding("settings", ("Ctrl+,",), "Open the settings (key bindings are a page there)"),
    Binding("quit", ("Ctrl+Q",), "Quit"),
    # Message actions (issue 4)
    Binding("edit_last", ("Up",), "Edit your last message (in an empty composer)", "composer"),
    Binding("page_up", ("PgUp",), "Scroll the transcript up a page (while the draft fits)",
            "composer"),
    Binding("page_down", ("PgDown",),
            "Scroll the transcript down a page (while the draft fits)", "composer"),
    Binding("attach_files", ("Ctrl+U",), "Attach files or images to the message…"),
    Binding("remove_attachment", ("Del", "Backspace"),
            "Remove the attachment that has the focus", "attachment"),
    Binding("open_attachment", ("Return", "Enter", "Space"),
            "Open the attachment that has the focus", "attachment"),
    Binding("viewer_zoom_in", ("+", "="), "Zoom the image in", "viewer"),
    Binding("viewer_zoom_out", ("-",), "Zoom the image out", "viewer"),
    Binding("viewer_fit", ("0",), "Fit the whole image in the window", "viewer"),
    Binding("viewer_actual_size", ("1",), "Show the image at its actual size", "viewer"),
    Binding("table_scroll_left", ("Left",), "Scroll the wide table left", "table"),
    Binding("table_scroll_right", ("Right",), "Scroll the wide table right", "table"),
    Binding("table_start", ("Home",), "Scroll the wide table to its first column", "table"),
    Binding("table_end", ("End",), "Scroll the wide table to its last column", "table"),
    Binding("copy_reply", ("Ctrl+Shift+C",),
            "Copy the chosen message as Markdown (else the last reply)"),
    Binding("copy_code", ("Ctrl+Alt+C",), "Copy the last code block"),
    Binding("previous_message", ("Alt+Up",), "Choose the previous message"),
    Binding("next_message", ("Alt+Down",), "Choose the next message"),
    Binding("delete_message", ("Alt+Del",),
            "Delete the chosen message and everything below it (asks first; undo for 10 "
            "seconds)"),
    Binding("previous_branch", ("Alt+Left",),
            "Show the chosen message's previous branch (‹ in its ‹ i/n ›)"),
    Binding("next_branch", ("Alt+Right",),
            "Show the chosen message's next branch (› in its ‹ i/n ›)"),
    Binding("continue_reply", ("Ctrl+Shift+R",), "Continue a reply that was cut off"),
    Binding("toggle_thinking", ("Alt+T",),
            "Fold or unfold the chosen reply's thinking (else the newest reply's)"),
    # History menu (issue 6)
    Binding("export_conversation", ("Ctrl+S",), "Export this conversation (Markdown or JSON)"),
    Binding("export_all", ("Ctrl+Alt+S",),
            "Export all conversations (Markdown files and one JSON)"),
    Binding("import_file", ("Ctrl+O",),
            "Import conversations (opchat-gui JSON or ChatGPT conversations.json)"),
    Binding("backup_now", ("Ctrl+Shift+B",), "Back up the history now"),
    Binding("restore_backup", ("Ctrl+Shift+O",), "Restore the history from a backup…"),
    # Providers (issue 3)
    Binding("choose_model", ("Ctrl+M",), "Choose the provider and model"),
    Binding("edit_system_prompt", ("Ctrl+Shift+S",), "Edit the conversation's system prompt"),
    Binding("edit_generation", ("Ctrl+Shift+G",),
            "Edit the conversation's generation settings (temperature, max tokens, …)"),
    Binding("manage_providers", ("Ctrl+Shift+M",), "Add, edit or remove providers"),
    # Tools (issue 17)
    Binding("tool_allow_once", ("Alt+Y",), "Allow the tool call that waits, this once"),
    Binding("tool_allow_always", ("Alt+A",),
            "Always allow the tool that waits (this tool of this server; revocable in the "
            "settings)"),
    Binding("tool_deny", ("Alt+N",), "Deny the tool call that waits (the model is told)"),
    Binding("toggle_tool", ("Alt+O",),
            "Open or fold a tool call's details (the chosen one, else the last)"),
)

BY_ACTION: dict[str, Binding] = {binding.action: binding for binding in KEYMAP}

_overrides: dict[str, tuple[str, ...]] = {}


# The active bindings (defaults plus the user's overrides)

def keys_for(action: str) -> tuple[str, ...]:
    return _overrides.get(action, BY_ACTION[action].keys)


def sequences(action: str) -> list[QKeySequence]:
    return [QKeySequence(key) for key in keys_for(action)]


def matches(action: str, event: QKeyEvent) -> bool:
    """Whether a key press is one of the action's bindings (for keys widgets handle)."""
    pressed = QKeySequence(event.keyCombination())
    return any(pressed.matches(seq) == QKeySequence.SequenceMatch.ExactMatch
               for seq in sequences(action))


def overrides() -> dict[str, tuple[str, ...]]:
    return dict(_overrides)


def set_overrides(new: Mapping[str, Iterable[str]]) -> None:
    """Replace the user's rebindings; unknown actions and unreadable keys are dropped."""
    _overrides.clear()
    for action, keys in new.items():
        if action not in BY_ACTION:
            continue
        clean = tuple(normalize(key) for key in keys)
        if all(clean) and clean != BY_ACTION[action].keys:
            _overrides[action] = clean


def normalize(key: str) -> str:
    """Portable text for one key sequence, '' when Qt cannot read it."""
    sequence = QKeySequence(key)
    if sequence.isEmpty() or sequence.count() != 1:
        return ""
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def display(keys: Iterable[str]) -> str:
    """Keys as this platform writes them (⌘ on macOS), for the help overlay and dialogs."""
    return " / ".join(QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
                      for key in keys)


# Keys named inside sentences and hints: always the current binding, never a literal, so
# a rebound key is named right (the window refreshes texts it keeps on bindingsChanged).

ARROWS = {"Up": "↑", "Down": "↓", "Left": "←", "Right": "→"}
UNBOUND = QT_TRANSLATE_NOOP("Keymap", "(no key)")


def hint(action: str) -> str:
    """The action's first key, short ("Ctrl+R", "Alt+↑"); "" when it has none.

    A binding that lists both Return and Enter (the main and the keypad key) is named
    Enter, as keyboards label it.
    """
    keys = keys_for(action)
    if not keys:
        return ""
    enter = keys[0].replace("Return", "Enter")
    return _short(enter if enter in keys else keys[0])


def named(action: str) -> str:
    """The action's first key for a sentence ("press %1"), or "(no key)" when unbound."""
    return hint(action) or QCoreApplication.translate(KEYMAP_CONTEXT, UNBOUND)


def with_hint(text: str, action: str) -> str:
    """A label with the action's key after it, "Retry (Ctrl+R)"; just the label if unbound."""
    key = hint(action)
    return f"{text} ({key})" if key else text


def hint_line(*parts: tuple[str, Sequence[str]]) -> str:
    """A line of key hints, "Enter / F3 next · Esc closes": each part is a translated text
    whose %1 becomes the keys of its actions; a part whose actions are all unbound is left
    out."""
    shown = []
    for text, actions in parts:
        keys = " / ".join(dict.fromkeys(key for key in map(hint, actions) if key))
        if keys:
            shown.append(fill(text, keys))
    return " · ".join(shown)


def _short(key: str) -> str:
    sequence = QKeySequence(key)
    text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
    bare = QKeySequence(sequence[0].key())
    arrow = ARROWS.get(bare.toString(QKeySequence.SequenceFormat.PortableText))
    name = bare.toString(QKeySequence.SequenceFormat.NativeText)
    if arrow and text.endswith(name):
        text = text[: len(text) - len(name)] + arrow
    return text


def scope_label(scope: str) -> str:
    return QCoreApplication.translate(KEYMAP_CONTEXT, SCOPES.get(scope, scope))


def label(action: str) -> str:
    """The action's label in the UI's language."""
    return QCoreApplication.translate(KEYMAP_CONTEXT, BY_ACTION[action].label)


# Conflicts: two actions that could both claim one key press

def _overlap(a: str, b: str) -> bool:
    return a == b or a in WINDOW_WIDE or b in WINDOW_WIDE


def conflicts(bindings: Mapping[str, Iterable[str]]) -> list[tuple[str, str, str]]:
    """(key, action, other action) for each key two overlapping actions share."""
    owner: dict[str, list[str]] = {}
    found: list[tuple[str, str, str]] = []
    for action, keys in bindings.items():
        for key in keys:
            text = normalize(key)
            for other in owner.get(text, []):
                if _overlap(BY_ACTION[action].scope, BY_ACTION[other].scope):
                    found.append((text, other, action))
            owner.setdefault(text, []).append(action)
    return found


def active_bindings() -> dict[str, tuple[str, ...]]:
    return {binding.action: keys_for(binding.action) for binding in KEYMAP}


# Saving the user's rebindings

def load_overrides(path: Path) -> dict[str, tuple[str, ...]]:
    """The saved rebindings; a missing or damaged file means none (and says so in the log)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring the key bindings file %s: %s", path, exc)
        return {}
    if not isinstance(raw, dict):
        log.warning("ignoring the key bindings file %s: not a JSON object", path)
        return {}
    return {str(action): tuple(str(k) for k in keys) for action, keys in raw.items()
            if isinstance(keys, list)}


def save_overrides(path: Path, new: Mapping[str, Iterable[str]]) -> None:
    """Write atomically, so a crash mid-write keeps the previous file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({a: list(k) for a, k in new.items()}, indent=2,
                                  ensure_ascii=False))


# The README's shortcut section

README_START = "<!-- keymap:start (generated by scripts/gen_keymap_readme.py) -->"
README_END = "<!-- keymap:end -->"


def markdown_table() -> str:
    lines = ["| Keys | Action | Where |", "|---|---|---|"]
    for binding in KEYMAP:
        keys = " / ".join(binding.keys)
        lines.append(f"| {keys} | {binding.label} | {SCOPES[binding.scope]} |")
    return "\n".join(lines)


def readme_with_table(readme: str) -> str:
    """README text with the generated table between the markers."""
    head, _, rest = readme.partition(README_START)
    _, _, tail = rest.partition(README_END)
    return f"{head}{README_START}\n{markdown_table()}\n{README_END}{tail}"

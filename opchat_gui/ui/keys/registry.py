"""The command registry: every key map action once, with who handles it and its menu entry.

keymap.KEYMAP says an action's keys, label and scope; COMMANDS says, once per action,
which object handles it (an owner: named here, registered at run time, so this module
imports no window) and where the menu bar lists it. `CommandRegistry.build` makes the
QActions and the menus from these two tables, and is run again whenever the bindings
change, so the keys, the menus and the shortcuts they show never disagree.

Keys that a widget reads itself (with keymap.matches: the composer's Enter, Up and page keys, the
find bar's Enter, a list panel's arrows) have no QAction and no menu entry: as window
shortcuts they would take Return, Up and Down from every other widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

MENU_CONTEXT = "Menu"  # the translation context of menu titles and entries

# Owners that handle commands, registered with CommandRegistry.add_owner.
WINDOW = "window"  # ui.main_window.MainWindow: replies, conversations, dialogs, the view
PANELS = "panels"  # ui.panels.host.PanelHost: help, switcher, search, find bar
CONVERSATION = "conversation"  # ui.keys.commands.ConversationCommands: rename, pin, delete
HISTORY = "history"  # ui.dialogs.data_menu.DataMenu: export, import, backup, restore
# Widgets that read their own keys (no QAction, no menu entry).
COMPOSER = "composer"  # ui.widgets.composer.Composer
FIND_BAR = "find_bar"  # ui.panels.find_bar.FindBar
LIST_PANELS = "list_panels"  # ui.panels.overlay.Overlay (switcher, search, help, rename)
ATTACHMENT = "attachment"  # ui.widgets.attachment_chips.Chip
VIEWER = "viewer"  # ui.dialogs.attachment_viewer.AttachmentViewer
TABLE = "table"  # ui.transcript.view.Transcript, for its wide tables
WIDGETS = frozenset({COMPOSER, FIND_BAR, LIST_PANELS, ATTACHMENT, VIEWER, TABLE})

# The menu bar, in order: id -> (parent menu id, "" for the bar; title).
MENUS: dict[str, tuple[str, str]] = {
    "file": ("", QT_TRANSLATE_NOOP("Menu", "&File")),
    "edit": ("", QT_TRANSLATE_NOOP("Menu", "&Edit")),
    "view": ("", QT_TRANSLATE_NOOP("Menu", "&View")),
    "go_to": ("view", QT_TRANSLATE_NOOP("Menu", "&Go to conversation")),
    "conversation": ("", QT_TRANSLATE_NOOP("Menu", "&Conversation")),
    "history": ("", QT_TRANSLATE_NOOP("Menu", "Hi&story")),
    "help": ("", QT_TRANSLATE_NOOP("Menu", "&Help")),
}


@dataclass(frozen=True)
class Command:
    action: str  # a key map row: its keys, label (the status tip) and scope
    owner: str  # who handles it: a registered owner, or a widget of WIDGETS
    handler: str = ""  # the owner's method, called with `args` ("" for widget keys)
    args: tuple[object, ...] = ()
    menu: str = ""  # a MENUS id ("" for widget keys)
    text: str = ""  # the menu entry, translated in MENU_CONTEXT; %1 is args[0]
    separator: bool = False  # a line above the entry


def _go_to(position: int) -> Command:
    return Command(f"go_to_{position}", WINDOW, "go_to", (position,), "go_to",
                   QT_TRANSLATE_NOOP("Menu", "Conversation &%1"))


# Menu order follows this table; every key map row is here exactly once.
COMMANDS: tuple[Command, ...] = (
    # File
    Command("new_conversation", WINDOW, "new_conversation", menu="file",
            text=QT_TRANSLATE_NOOP("Menu", "&New conversation")),
    Command("manage_providers", WINDOW, "open_providers", menu="file", separator=True,
            text=QT_TRANSLATE_NOOP("Menu", "&Providers…")),
    Command("settings", WINDOW, "open_settings", menu="file",
            text=QT_TRANSLATE_NOOP("Menu", "&Settings…")),
    Command("quit", WINDOW, "close", menu="file", separator=True,
            text=QT_TRANSLATE_NOOP("Menu", "&Quit")),
    # Edit
    Command("copy_reply", WINDOW, "copy_reply", menu="edit",
            text=QT_TRANSLATE_NOOP("Menu", "&Copy message as Markdown")),
    Command("copy_code", WINDOW, "copy_code", menu="edit",
            text=QT_TRANSLATE_NOOP("Menu", "Copy co&de block")),
    Command("find_in_conversation", PANELS, "open_find", menu="edit", separator=True,
            text=QT_TRANSLATE_NOOP("Menu", "&Find…")),
    Command("find_next", PANELS, "find_step", (True,), menu="edit",
            text=QT_TRANSLATE_NOOP("Menu", "Find &next")),
    Command("find_previous", PANELS, "find_step", (False,), menu="edit",
            text=QT_TRANSLATE_NOOP("Menu", "Find &previous")),
    # View
    Command("toggle_sidebar", WINDOW, "toggle_sidebar", menu="view",
            text=QT_TRANSLATE_NOOP("Menu", "&Conversation list")),
    Command("focus_composer", WINDOW, "focus_composer", menu="view",
            text=QT_TRANSLATE_NOOP("Menu", "Focus the co&mposer")),
    Command("quick_switcher", PANELS, "open_switcher", menu="view", separator=True,
            text=QT_TRANSLATE_NOOP("Menu", "&Switch conversation…")),
    Command("next_conversation", WINDOW, "step_conversation", (1,), menu="view",
            text=QT_TRANSLATE_NOOP("Menu", "&Next conversation")),
    Command("previous_conversation", WINDOW, "step_conversation", (-1,), menu="view",
            text=QT_TRANSLATE_NOOP("Menu", "&Previous conversation")),
    *(_go_to(position) for position in range(1, 10)),
    Command("scroll_start", WINDOW, "scroll_transcript", (-1,), menu="view", separator=True,
            text=QT_TRANSLATE_NOOP("Menu", "&First message")),
    Command("scroll_end", WINDOW, "scroll_transcript", (1,), menu="view",
            text=QT_TRANSLATE_NOOP("Menu", "L&atest message")),
    Command("zoom_in", WINDOW, "zoom", (1,), menu="view", separator=True,
            text=QT_TRANSLATE_NOOP("Menu", "&Larger text")),
    Command("zoom_out", WINDOW, "zoom", (-1,), menu="view",
            text=QT_TRANSLATE_NOOP("Menu", "Smaller &text")),
    Command("zoom_reset", WINDOW, "zoom", menu="view",
            text=QT_TRANSLATE_NOOP("Menu", "&Reset text size")),
    # Conversation
    Command("stop", WINDOW, "escape", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "&Stop the reply")),
    Command("retry", WINDOW, "retry_reply", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "&Retry or regenerate")),
    Command("continue_reply", WINDOW, "continue_reply", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "C&ontinue the reply")),
    Command("tool_allow_once", WINDOW, "answer_tool", ("once",), menu="conversation",
            separator=True, text=QT_TRANSLATE_NOOP("Menu", "Allo&w the tool call once")),
    Command("tool_allow_always", WINDOW, "answer_tool", ("always",), menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "A&lways allow this tool")),
    Command("tool_deny", WINDOW, "answer_tool", ("deny",), menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "Den&y the tool call")),
    Command("toggle_tool", WINDOW, "toggle_tool", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "Open or &fold a tool call")),
    Command("previous_message", WINDOW, "step_message", (-1,), menu="conversation",
            separator=True, text=QT_TRANSLATE_NOOP("Menu", "Choose the pre&vious message")),
    Command("next_message", WINDOW, "step_message", (1,), menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "Choose the ne&xt message")),
    Command("delete_message", WINDOW, "delete_chosen_message", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "Delete the chosen messa&ge…")),
    Command("previous_branch", WINDOW, "switch_branch", (None, -1), menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "Show the previous &branch")),
    Command("next_branch", WINDOW, "switch_branch", (None, 1), menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "Show the next branc&h")),
    Command("toggle_thinking", WINDOW, "toggle_thinking", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "Show or hide the &thinking")),
    Command("attach_files", WINDOW, "attach_files", menu="conversation", separator=True,
            text=QT_TRANSLATE_NOOP("Menu", "&Attach files…")),
    Command("choose_model", WINDOW, "choose_model", menu="conversation", separator=True,
            text=QT_TRANSLATE_NOOP("Menu", "Provider and &model…")),
    Command("edit_system_prompt", WINDOW, "edit_system_prompt", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "System &prompt…")),
    Command("edit_generation", WINDOW, "edit_generation", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "Generation s&ettings…")),
    Command("rename_conversation", CONVERSATION, "rename_current", menu="conversation",
            separator=True, text=QT_TRANSLATE_NOOP("Menu", "Re&name…")),
    Command("toggle_pin", CONVERSATION, "toggle_pin", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "P&in or unpin")),
    Command("delete_conversation", CONVERSATION, "delete_current", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "&Delete conversation")),
    Command("undo_delete", CONVERSATION, "undo_delete", menu="conversation",
            text=QT_TRANSLATE_NOOP("Menu", "&Undo delete")),
    # History
    Command("search_history", PANELS, "open_search", menu="history",
            text=QT_TRANSLATE_NOOP("Menu", "&Search all conversations…")),
    Command("export_conversation", HISTORY, "export_conversation", menu="history",
            separator=True, text=QT_TRANSLATE_NOOP("Menu", "&Export this conversation…")),
    Command("export_all", HISTORY, "export_all", menu="history",
            text=QT_TRANSLATE_NOOP("Menu", "Export &all conversations…")),
    Command("import_file", HISTORY, "import_file", menu="history",
            text=QT_TRANSLATE_NOOP("Menu", "&Import conversations…")),
    Command("backup_now", HISTORY, "backup_now", menu="history", separator=True,
            text=QT_TRANSLATE_NOOP("Menu", "&Back up now")),
    Command("restore_backup", HISTORY, "restore_backup", menu="history",
            text=QT_TRANSLATE_NOOP("Menu", "&Restore from a backup…")),
    # Help
    Command("show_shortcuts", PANELS, "open_help", menu="help",
            text=QT_TRANSLATE_NOOP("Menu", "&Keyboard shortcuts")),
    # Keys widgets read themselves: deliberately in no menu
    Command("send", COMPOSER),
    Command("newline", COMPOSER),
    Command("edit_last", COMPOSER),
    Command("page_up", COMPOSER),
    Command("page_down", COMPOSER),
    Command("remove_attachment", ATTACHMENT),
    Command("open_attachment", ATTACHMENT),
    Command("viewer_zoom_in", VIEWER),
    Command("viewer_zoom_out", VIEWER),
    Command("viewer_fit", VIEWER),
    Command("viewer_actual_size", VIEWER),
    Command("table_scroll_left", TABLE),
    Command("table_scroll_right", TABLE),
    Command("table_start", TABLE),
    Command("table_end", TABLE),
    Command("find_bar_next", FIND_BAR),
    Command("find_bar_previous", FIND_BAR),
    Command("panel_down", LIST_PANELS),
    Command("panel_up", LIST_PANELS),
    Command("panel_open", LIST_PANELS),
)

BY_ACTION: dict[str, Command] = {command.action: command for command in COMMANDS}


def menu_text(command: Command) -> str:
    """The command's menu entry in the UI's language (with its & mnemonic)."""
    return fill(QCoreApplication.translate(MENU_CONTEXT, command.text), *command.args)


class CommandRegistry(QObject):
    """The window's QActions and menu bar, made from COMMANDS and the current bindings."""

    bindingsChanged = Signal()  # after a rebinding: texts that name keys are rebuilt

    def __init__(self, window: QMainWindow, keys_file: Path | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.keys_file = keys_file
        if keys_file is not None:
            keymap.set_overrides(keymap.load_overrides(keys_file))
        self.owners: dict[str, object] = {}
        self.menus: dict[str, QMenu] = {}
        self.actions: dict[str, QAction] = {}
        self.build()

    def add_owner(self, name: str, owner: object) -> None:
        """Hand the commands of `name` to `owner`; until then their entries are disabled
        (and before the first owner, not made)."""
        missing = [c.handler for c in COMMANDS if c.owner == name
                   and not callable(getattr(owner, c.handler, None))]
        if missing:
            raise TypeError(f"{type(owner).__name__} lacks the handlers {missing}")
        self.owners[name] = owner
        self.build()

    def build(self) -> None:
        """Make the menus and QActions that do not exist yet, then set all of them from the
        current bindings: the entry's text, the keys it answers and shows, its status tip,
        and whether its owner is there. Run at start, for each owner, and on rebinding."""
        bar = self.window.menuBar()
        for menu_id, (parent, _title) in MENUS.items():
            if not parent and menu_id not in self.menus:
                self.menus[menu_id] = bar.addMenu("")
                self.menus[menu_id].setObjectName(f"{menu_id}Menu")
        for command in COMMANDS:
            # Start-up's first frame has the menu bar's titles only: its entries would all
            # be disabled, and their keys are held until the first owner comes (B3).
            if not command.menu or not self.owners:
                continue
            action = self.actions.get(command.action) or self._add_action(command)
            action.setText(menu_text(command))
            action.setStatusTip(keymap.label(command.action))
            action.setShortcuts(keymap.sequences(command.action))
            action.setEnabled(command.owner in self.owners)
        for menu_id, menu in self.menus.items():
            menu.setTitle(QCoreApplication.translate(MENU_CONTEXT, MENUS[menu_id][1]))

    def rebind(self, overrides: dict[str, tuple[str, ...]]) -> str:
        """Apply new bindings now, everywhere, and keep them; the error if saving failed."""
        keymap.set_overrides(overrides)
        error = ""
        if self.keys_file is not None:
            try:
                keymap.save_overrides(self.keys_file, keymap.overrides())
            except OSError as exc:
                error = str(exc)
        self.build()
        self.bindingsChanged.emit()
        return error

    def trigger(self, action_id: str) -> bool:
        """Run a command as its key or menu entry would; False when nothing can run it."""
        action = self.actions.get(action_id)
        if action is None or not action.isEnabled():
            return False
        action.trigger()
        return True

    def _add_action(self, command: Command) -> QAction:
        menu = self._menu(command.menu)
        if command.separator:
            menu.addSeparator()
        action = QAction(self.window)
        action.setObjectName(command.action)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # triggered(checked) must not reach the handler as an argument
        action.triggered.connect(lambda _checked=False, c=command: self._run(c))
        menu.addAction(action)
        self.window.addAction(action)  # its keys work with the menu bar hidden too
        self.actions[command.action] = action
        return action

    def _menu(self, menu_id: str) -> QMenu:
        """A submenu is made where its first entry comes, so it sits in table order."""
        if menu_id not in self.menus:
            parent = self._menu(MENUS[menu_id][0])
            self.menus[menu_id] = parent.addMenu("")
            self.menus[menu_id].setObjectName(f"{menu_id}Menu")
        return self.menus[menu_id]

    def _run(self, command: Command) -> None:
        owner = self.owners.get(command.owner)
        if owner is not None:
            getattr(owner, command.handler)(*command.args)

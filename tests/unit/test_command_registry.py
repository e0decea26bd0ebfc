"""The command registry's table: every key map row once, a handler that exists, a menu.

The running window's menus are checked in tests/e2e/test_menus.py.
"""

from __future__ import annotations

import re
from collections import Counter

from opchat_gui.ui.dialogs.data_menu import DataMenu
from opchat_gui.ui.keys import keymap, registry
from opchat_gui.ui.keys.commands import ConversationCommands
from opchat_gui.ui.main_window import MainWindow
from opchat_gui.ui.panels.host import PanelHost

OWNER_CLASSES = {registry.WINDOW: MainWindow, registry.PANELS: PanelHost,
                 registry.CONVERSATION: ConversationCommands, registry.HISTORY: DataMenu}


def test_every_key_map_row_is_declared_once():
    declared = Counter(command.action for command in registry.COMMANDS)
    assert [a for a, n in declared.items() if n > 1] == []
    assert set(declared) == set(keymap.BY_ACTION)


def test_window_keys_have_a_handler_and_a_menu_entry():
    for command in registry.COMMANDS:
        scope = keymap.BY_ACTION[command.action].scope
        if scope == "window":
            owner = OWNER_CLASSES[command.owner]
            assert callable(getattr(owner, command.handler, None)), command
            assert command.menu in registry.MENUS and command.text, command
        else:  # deliberately menu-less: a widget reads these keys itself
            assert command.owner in registry.WIDGETS, command
            assert not (command.menu or command.handler or command.text), command


def test_mnemonics_are_unique_in_each_menu(qapp):
    entries: dict[str, list[str]] = {}  # menu id ("" for the bar) -> its entries
    for parent, title in registry.MENUS.values():
        entries.setdefault(parent, []).append(title)
    for command in registry.COMMANDS:
        if command.menu:
            entries.setdefault(command.menu, []).append(registry.menu_text(command))
    for menu, texts in entries.items():
        letters = [match.group(1).lower() for text in texts
                   if (match := re.search(r"&(\w)", text))]
        assert len(letters) == len(texts), f"{menu}: an entry without a mnemonic: {texts}"
        assert len(set(letters)) == len(letters), f"{menu}: mnemonics repeat: {texts}"


def test_hints_name_the_current_keys(qapp):
    try:
        assert keymap.with_hint("Retry", "retry") == "Retry (Ctrl+R)"
        assert keymap.hint("send") == "Enter"  # Return and Enter: named as keyboards say
        assert keymap.hint("previous_message") == "Alt+↑"
        assert keymap.hint_line(("%1 next", ("find_bar_next", "find_next")),
                                ("%1 closes", ("stop",))) == "Enter / F3 next · Esc closes"
        keymap.set_overrides({"retry": ("F5",), "stop": ()})
        assert keymap.with_hint("Retry", "retry") == "Retry (F5)"
        assert keymap.with_hint("Stop", "stop") == "Stop"
        assert keymap.named("stop") == "(no key)"
        assert keymap.hint_line(("%1 opens", ("panel_open",)),
                                ("%1 closes", ("stop",))) == "Enter opens"
    finally:
        keymap.set_overrides({})

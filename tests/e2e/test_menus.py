"""The menu bar made from the command registry: every command by mouse, keys shown and
kept current on rebinding, translated; and texts that name keys follow the bindings."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from opchat_gui.store import MessageState
from opchat_gui.ui.keys import keymap, registry
from tests.conftest import wait_until
from tests.keyboard import press, seed


def menu_entries(window) -> dict[str, tuple[list[str], QAction]]:
    """action id -> (the menu titles leading to it, its QAction), walking the menu bar."""
    found: dict[str, tuple[list[str], QAction]] = {}

    def walk(menu: QMenu, path: list[str]) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), [*path, action.menu().title()])
            elif not action.isSeparator():
                found[action.objectName()] = (path, action)

    for top in window.menuBar().actions():
        walk(top.menu(), [top.text()])
    return found


def backups(session) -> set:
    folder = session.paths.backups
    return set(folder.iterdir()) if folder.exists() else set()


def test_every_window_key_is_a_menu_entry_showing_its_keys(open_app, server):
    window = open_app("--url", server.url).window
    titles = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Conversation", "History", "Help"]
    entries = menu_entries(window)
    for binding in keymap.KEYMAP:
        if binding.scope != "window":  # a widget reads these keys: no menu entry
            assert binding.action not in entries
            assert registry.BY_ACTION[binding.action].owner in registry.WIDGETS
            continue
        _path, action = entries[binding.action]
        assert action.isEnabled() and action.text(), binding.action
        assert action.shortcuts() == keymap.sequences(binding.action)
        assert action.statusTip() == keymap.label(binding.action)
    assert entries["go_to_3"][0] == ["&View", "&Go to conversation"]
    assert entries["backup_now"][0] == ["Hi&story"]


def test_menus_work_by_mouse_and_by_mnemonic(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    bar = window.menuBar()
    history = window.registry.menus["history"]
    before = backups(session)
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.actionGeometry(history.menuAction()).center())
    run(wait_until(history.isVisible, what="the History menu to open"))
    entry = window.registry.actions["backup_now"]
    QTest.mouseClick(history, Qt.MouseButton.LeftButton,
                     pos=history.actionGeometry(entry).center())
    run(wait_until(lambda: len(backups(session) - before) == 1, what="the backup"))
    assert not history.isVisible()

    # Alt+C opens the Conversation menu, N (Re&name…) asks for the new title.
    seed(session, [("Named by menu", [("user", "hi"), ("assistant", "hello")])])
    window.open_conversation(window.model.id_at(0))
    conversation = window.registry.menus["conversation"]
    press(window, "Alt+C")
    run(wait_until(conversation.isVisible, what="the Conversation menu to open"))
    QTest.keyClick(conversation, Qt.Key.Key_N)
    run(wait_until(lambda: window.panels.rename_prompt.isVisible(), what="the rename prompt"))
    assert window.panels.rename_prompt.filter.text() == "Named by menu"


def open_keys_page(window, run):
    press(window, keymap.keys_for("settings")[0])
    dialog = window.settings_dialog
    run(wait_until(lambda: QApplication.focusWidget() is not None
                   and QApplication.focusWidget().window() is dialog, what="dialog focus"))
    dialog.page_list.setFocus()
    press(dialog, "End")  # the key bindings page is the last page
    page = dialog.stack.currentWidget()
    assert page.objectName() == "keysPage"
    press(dialog, "Tab")
    assert QApplication.focusWidget() is page.table
    return dialog, page


def rebind_by_keys(window, run, action: str, key: str) -> None:
    """Settings, Keys page, the action's row, Enter, the key, Set, Save, Esc: keys only."""
    dialog, page = open_keys_page(window, run)
    for _ in range([b.action for b in keymap.KEYMAP].index(action)):
        press(dialog, "Down")
    assert page.selected_action() == action
    press(dialog, "Return")
    assert QApplication.focusWidget() is page.editor
    press(dialog, key)
    press(dialog, "Tab")
    assert QApplication.focusWidget() is page.set_button
    press(dialog, "Space")
    assert page.draft[action] == (key,)
    for _ in range(8):
        if QApplication.focusWidget() is page.save_button:
            break
        press(dialog, "Tab")
    press(dialog, "Space")
    assert "Saved" in page.saved.text()
    press(dialog, "Esc")
    assert not dialog.isVisible()
    window.activateWindow()  # what the window manager does when a dialog closes
    run(wait_until(lambda: QApplication.focusWidget() is window.composer, what="focus back"))


def test_a_rebound_history_key_works_at_once(open_app, server, run):
    """Regression: saving new bindings used to update only the window's own actions, so
    the History menu's keys stayed the old ones until a restart."""
    session = open_app("--url", server.url)
    window = session.window
    rebind_by_keys(window, run, "backup_now", "F9")
    before = backups(session)
    operations = window.data_menu.operations
    press(window, "Ctrl+Shift+B")  # the old key does nothing now
    assert not operations.busy() and backups(session) == before
    press(window, "F9")  # the backup runs as a background operation
    run(wait_until(lambda: not operations.busy() and len(backups(session) - before) == 1,
                   what="the backup by the new key"))
    entry = window.registry.actions["backup_now"]
    assert entry.shortcut() == QKeySequence("F9")  # what the History menu shows
    press(window, "F1")  # the shortcut help agrees
    assert any(row.startswith("F9 Back up") for row in window.panels.help.row_texts())


def test_texts_that_name_keys_follow_the_bindings(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    [conversation] = seed(session, [("Failed", [("user", "hi"), ("assistant", "half")])])
    reply = session.service.messages(conversation)[-1]
    session.service.history.update_message(reply.id, state=MessageState.FAILED, error="boom")
    window.open_conversation(conversation)
    assert "Retry (Ctrl+R)" in window.transcript.toPlainText()
    assert "Enter sends, Shift+Enter adds a line" in window.composer.placeholderText()

    error = window.registry.rebind({"retry": ("F5",), "send": ("Ctrl+Return",),
                                    "newline": ("Return",), "stop": ("F10",),
                                    "settings": ("F12",)})
    assert error == ""
    text = window.transcript.toPlainText()
    assert "Retry (F5)" in text and "Ctrl+R" not in text
    assert "Ctrl+Return sends, Return adds a line" in window.composer.placeholderText()
    assert window.settings_button.toolTip() == "Settings (F12)"
    assert window.registry.actions["retry"].shortcut() == QKeySequence("F5")
    press(window, "Ctrl+F")
    assert re.search(r"F10 closes$", window.find_bar.hint.text())
    press(window, "Ctrl+K")
    assert window.panels.switcher.hint.text().endswith("F10 to close")
    press(window, "F10")
    assert not window.panels.switcher.isVisible()
    window.delete_chosen_message()  # nothing chosen: the status names the keys
    assert "Alt+↑ or Alt+↓" in window.statusBar().currentMessage()


def test_menus_are_translated(open_app, data_dir, server):
    config = data_dir / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"language": "ru"}', encoding="utf-8")
    window = open_app("--url", server.url).window
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&Файл", "&Правка", "&Вид", "&Беседа", "&История", "&Справка"]
    menus = [window.menuBar(), *window.menuBar().findChildren(QMenu)]
    for menu in menus:
        texts = [action.text() for action in menu.actions() if not action.isSeparator()]
        for text in texts:
            assert re.search("[а-яё]", text, re.IGNORECASE), f"not translated: {text!r}"
        letters = [m.group(1).lower() for t in texts if (m := re.search(r"&(\w)", t))]
        assert len(letters) == len(texts) == len(set(letters)), texts

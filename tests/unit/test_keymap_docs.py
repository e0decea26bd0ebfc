"""The key map's other faces: the README table, rebinding, conflicts, the saved file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from opchat_gui.ui.keys import keymap
from tests.conftest import wait_until
from tests.keyboard import press, type_text

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def _defaults():
    keymap.set_overrides({})
    yield
    keymap.set_overrides({})


def test_readme_lists_exactly_the_key_map():
    text = README.read_text(encoding="utf-8")
    assert keymap.README_START in text and keymap.README_END in text
    assert keymap.readme_with_table(text) == text, (
        "README.md's shortcut table is stale: run python scripts/gen_keymap_readme.py")
    for binding in keymap.KEYMAP:
        assert f"| {' / '.join(binding.keys)} | {binding.label} |" in text


def test_table_is_well_formed():
    actions = [binding.action for binding in keymap.KEYMAP]
    assert len(actions) == len(set(actions))
    for binding in keymap.KEYMAP:
        assert binding.scope in keymap.SCOPES and binding.label and binding.keys
        for key in binding.keys:
            assert keymap.normalize(key) == key, f"{binding.action}: {key!r} is not portable"
    assert keymap.conflicts(keymap.active_bindings()) == []


def test_conflicts_are_found_only_where_both_apply():
    bindings = keymap.active_bindings()
    bindings["toggle_pin"] = ("Ctrl+K",)  # the quick switcher's key, both window-wide
    assert keymap.conflicts(bindings) == [("Ctrl+K", "quick_switcher", "toggle_pin")]
    bindings = keymap.active_bindings()
    bindings["panel_open"] = ("Return", "Enter")  # also the composer's send: no clash
    assert keymap.conflicts(bindings) == []
    bindings["toggle_pin"] = ("Return",)  # window-wide Return would steal send
    assert ("Return", "send", "toggle_pin") in keymap.conflicts(bindings)


def test_overrides_file_roundtrip_and_damage(tmp_path):
    path = tmp_path / "config" / "keys.json"
    keymap.save_overrides(path, {"toggle_pin": ("Ctrl+Shift+J",)})
    assert keymap.load_overrides(path) == {"toggle_pin": ("Ctrl+Shift+J",)}
    path.write_text("{not json", encoding="utf-8")
    assert keymap.load_overrides(path) == {}
    keymap.set_overrides({"no_such_action": ("F9",), "quit": ("",), "zoom_in": ("Ctrl+=",
                                                                              "Ctrl++")})
    assert keymap.overrides() == {}  # unknown, unreadable and unchanged entries dropped


def test_rebinding_by_keys_applies_now_and_after_a_restart(open_app, server, run, data_dir):
    session = open_app("--url", server.url)
    window = session.window
    press(window, "Ctrl+,")
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    run(wait_until(lambda: QApplication.focusWidget() is not None
                   and QApplication.focusWidget().window() is dialog, what="dialog focus"))
    dialog.page_list.setFocus()
    press(dialog, "End")  # the key bindings page is the last page
    page = dialog.stack.currentWidget()
    assert page.objectName() == "keysPage"
    press(dialog, "Tab")
    assert QApplication.focusWidget() is page.table

    # Pick "toggle_pin" by keys, give it the quick switcher's key: a conflict, Save refused.
    for _ in range([b.action for b in keymap.KEYMAP].index("toggle_pin")):
        press(dialog, "Down")
    assert page.selected_action() == "toggle_pin"
    press(dialog, "Return")
    assert QApplication.focusWidget() is page.editor
    press(dialog, "Ctrl+K")
    press(dialog, "Tab")
    assert QApplication.focusWidget() is page.set_button
    press(dialog, "Space")
    assert page.draft["toggle_pin"] == ("Ctrl+K",)
    assert "Ctrl+K" in page.conflict.text() and "Pin or unpin" in page.conflict.text()
    assert page.conflict.isVisible() and not page.save_button.isEnabled()

    # A free key instead: the conflict goes, Save writes the file and applies at once.
    assert QApplication.focusWidget() is page.table
    assert page.selected_action() == "toggle_pin"
    press(dialog, "Return")
    press(dialog, "Ctrl+Shift+J")
    press(dialog, "Tab")
    press(dialog, "Space")
    assert page.conflict.text() == "" and page.save_button.isEnabled()
    save = page.save_button
    for _ in range(8):  # table, key field, Set, Add, Default, Unbind, then the button box
        if QApplication.focusWidget() is save:
            break
        press(dialog, "Tab")
    assert QApplication.focusWidget() is save
    press(dialog, "Space")
    assert "Saved" in page.saved.text()
    press(dialog, "Esc")  # closes the settings dialog
    assert not dialog.isVisible()
    window.activateWindow()  # what the window manager does when a dialog closes
    run(wait_until(lambda: QApplication.focusWidget() is window.composer, what="focus back"))
    saved = json.loads((data_dir / "config" / "keys.json").read_text(encoding="utf-8"))
    assert saved == {"toggle_pin": ["Ctrl+Shift+J"]}

    type_text(window, "pin me")
    press(window, "Return")
    conversation = window.current_id
    press(window, "Ctrl+Shift+J")
    assert session.service.conversation(conversation).pinned
    press(window, "Ctrl+Shift+P")  # the old key does nothing now
    assert session.service.conversation(conversation).pinned
    window.close()
    run(session.close())
    keymap.set_overrides({})

    again = open_app("--url", server.url)
    assert keymap.keys_for("toggle_pin") == ("Ctrl+Shift+J",)
    assert again.window.registry.actions["toggle_pin"].shortcut().toString() == "Ctrl+Shift+J"
    press(again.window, "F1")
    assert any(row.startswith("Ctrl+Shift+J Pin or unpin")
               for row in again.window.panels.help.row_texts())

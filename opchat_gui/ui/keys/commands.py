"""The keyboard's commands on the main window: panels, find, conversation management, zoom.

Kept apart from main_window.py so the window stays about layout and signals; every
command here is a row of keymap.KEYMAP and `handlers()` maps the rows to methods.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from opchat_gui.config.settings import BY_KEY, FONT_SIZES
from opchat_gui.core.messages import Conversation
from opchat_gui.core.text import fill
from opchat_gui.ui.dialogs.keys_page import KeysPage
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.panels.help import HelpOverlay
from opchat_gui.ui.panels.overlay import Overlay
from opchat_gui.ui.panels.rename import RenamePrompt
from opchat_gui.ui.panels.search import SearchPanel
from opchat_gui.ui.panels.switcher import QuickSwitcher

if TYPE_CHECKING:
    from opchat_gui.ui.main_window import MainWindow

FONT_KEYS = ("transcript_font_size", "composer_font_size")


class KeyboardCommands(QObject):
    def __init__(self, window: MainWindow, host: QWidget, keys_file: Path | None) -> None:
        """`host` holds the floating panels: the window itself (a splitter would make
        each panel one of its panes)."""
        super().__init__(window)
        self.window = window
        self.keys_file = keys_file
        if keys_file is not None:
            keymap.set_overrides(keymap.load_overrides(keys_file))
        service = window.service
        self.help = HelpOverlay(host, self.run_action)
        self.switcher = QuickSwitcher(host, window.model.rows, self.tr("New conversation"))
        self.search_panel = SearchPanel(host, service.search)
        self.rename_prompt = RenamePrompt(host)
        self.overlays: tuple[Overlay, ...] = (self.help, self.switcher, self.search_panel,
                                              self.rename_prompt)
        self.switcher.chosen.connect(window.open_conversation)
        self.search_panel.chosen.connect(self.open_hit)
        self.rename_prompt.renamed.connect(service.rename)
        for overlay in self.overlays:
            overlay.closed.connect(self._after_overlay)
        window.find_bar.closed.connect(window.composer.take_focus)

    def handlers(self) -> dict[str, Callable[[], object]]:
        handlers: dict[str, Callable[[], object]] = {
            "stop": self.escape,
            "toggle_sidebar": self.toggle_sidebar,
            "quick_switcher": lambda: self.open_overlay(self.switcher),
            "search_history": lambda: self.open_overlay(self.search_panel),
            "show_shortcuts": lambda: self.open_overlay(self.help),
            "find_in_conversation": self.open_find,
            "find_next": lambda: self.find_step(True),
            "find_previous": lambda: self.find_step(False),
            "rename_conversation": self.rename_current,
            "delete_conversation": self.delete_current,
            "undo_delete": self.undo_delete,
            "toggle_pin": self.toggle_pin,
            "zoom_in": lambda: self.zoom(1),
            "zoom_out": lambda: self.zoom(-1),
            "zoom_reset": lambda: self.zoom(None),
        }
        for position in range(1, 10):
            handlers[f"go_to_{position}"] = self._go_to_handler(position)
        return handlers

    # Panels

    def escape(self) -> None:
        """Esc: close the open panel or find bar; with none open, stop the stream."""
        for overlay in self.overlays:
            if overlay.isVisible():
                overlay.close_overlay()
                return
        if self.window.find_bar.isVisible():
            self.window.find_bar.close_bar()
            return
        self.window.stop_reply()

    def open_overlay(self, overlay: Overlay) -> None:
        for other in self.overlays:
            if other is not overlay:
                other.close_overlay()
        overlay.open()

    def toggle_sidebar(self) -> None:
        if not self.window.side.toggle():
            self.window.composer.take_focus()

    def run_action(self, action_id: str) -> bool:
        action = self.window.actions_by_id.get(action_id)
        if action is None:
            return False
        action.trigger()
        return True

    def _after_overlay(self) -> None:
        if not any(overlay.isVisible() for overlay in self.overlays):
            self.window.composer.take_focus()

    # Find

    def open_find(self) -> None:
        selected = self.window.transcript.textCursor().selectedText()
        self.window.find_bar.open(selected or None)

    def find_step(self, forward: bool) -> None:
        if not self.window.find_bar.isVisible():
            self.window.find_bar.open()
        self.window.find_bar.find(forward=forward)

    def open_hit(self, conversation_id: int, message_id: int, query: str) -> None:
        """Open a search hit: its conversation, scrolled to the message, the hit selected."""
        window = self.window
        window.service.bring_on_show(message_id)  # a hit in another branch: that branch
        window.open_conversation(conversation_id)
        start = window.transcript.position_of(message_id)
        if start is None:
            return
        for needle in (query.strip(), *sorted(query.split(), key=len, reverse=True)):
            window.find_bar.open(needle)
            if window.find_bar.find(start=start) and (
                    window.transcript.message_at(window.transcript.textCursor().position())
                    == message_id):
                return
        window.find_bar.close_bar()
        window.transcript.select_message(message_id)

    # Conversations

    def rename_current(self) -> None:
        conversation = self._current()
        if conversation is not None:
            for overlay in self.overlays:
                overlay.close_overlay()
            self.rename_prompt.ask(conversation.id, conversation.title)

    def toggle_pin(self) -> None:
        conversation = self._current()
        if conversation is not None:
            self.window.service.toggle_pinned(conversation.id)

    def delete_current(self) -> None:
        window = self.window
        conversation = self._current()
        if conversation is None:
            return
        row = window.model.row_of(conversation.id)
        if not window.service.delete(conversation.id):
            return
        title = conversation.title or self.tr("New conversation")
        # Open the next one first: a switch clears the status line, this note must stay.
        window.open_conversation(window.model.id_at(min(row, window.model.rowCount() - 1)))
        window.statusBar().showMessage(
            fill(self.tr("Deleted “%1”. Press %2 within 10 seconds to undo."), title,
                 keymap.display(keymap.keys_for("undo_delete"))), 10_000)

    def undo_delete(self) -> None:
        restored = self.window.service.undo_delete()
        if restored is not None:
            self.window.open_conversation(restored)
            self.window.statusBar().showMessage(self.tr("Restored."), 3000)

    def go_to(self, position: int) -> None:
        target = self.window.model.id_at(position - 1)
        if target is not None:
            self.window.open_conversation(target)

    def _go_to_handler(self, position: int) -> Callable[[], None]:
        return lambda: self.go_to(position)  # no default argument: triggered passes one

    def _current(self) -> Conversation | None:
        window = self.window
        if window.current_id is None:
            window.statusBar().showMessage(self.tr("Send a message first: this conversation "
                                                   "is not saved yet."), 3000)
            return None
        return window.service.conversation(window.current_id)

    # Zoom: the font size settings, so the size sticks and the settings page agrees

    def zoom(self, steps: int | None) -> None:
        settings = self.window.settings
        low, high = FONT_SIZES
        for key in FONT_KEYS:
            size = (BY_KEY[key].default if steps is None
                    else max(low, min(high, int(settings[key]) + steps)))
            settings.set(key, size)
        self.window.statusBar().showMessage(
            fill(self.tr("Text size: %1 pt"), settings[FONT_KEYS[0]]), 2000)

    # Key bindings: a page of the settings dialog

    def keys_page(self) -> KeysPage:
        return KeysPage(self.save_keymap)

    def save_keymap(self, overrides: dict[str, tuple[str, ...]]) -> None:
        keymap.set_overrides(overrides)
        if self.keys_file is not None:
            try:
                keymap.save_overrides(self.keys_file, keymap.overrides())
            except OSError as exc:
                self.window.show_problem(
                    fill(self.tr("Could not save the key bindings (%1). They apply until "
                                 "you quit."), exc))
        for action_id, action in self.window.actions_by_id.items():
            action.setShortcuts(keymap.sequences(action_id))

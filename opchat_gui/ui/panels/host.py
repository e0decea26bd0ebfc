"""The panels over the main window, one open at a time: the shortcut help, the quick
switcher, the history search, the rename prompt, and the find bar under the transcript.

It is handed what it needs (the widget to float over, the transcript and its find bar,
callables for the data) and knows no window; its commands are rows of
ui/keys/registry.COMMANDS, owner PANELS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from opchat_gui.core.messages import ConversationSummary, SearchHit
from opchat_gui.ui.panels.backdrop import Backdrop, add_shadow
from opchat_gui.ui.panels.find_bar import FindBar
from opchat_gui.ui.panels.help import HelpOverlay
from opchat_gui.ui.panels.overlay import Overlay
from opchat_gui.ui.panels.rename import RenamePrompt
from opchat_gui.ui.panels.search import SearchPanel
from opchat_gui.ui.panels.switcher import QuickSwitcher
from opchat_gui.ui.transcript.view import Transcript

PanelT = TypeVar("PanelT", bound=Overlay)


class PanelHost(QObject):
    def __init__(self, host: QWidget, transcript: Transcript, find_bar: FindBar, *,
                 conversations: Callable[[], list[ConversationSummary]],
                 search: Callable[[str], list[SearchHit]],
                 rename: Callable[[int, str], object],
                 open_conversation: Callable[[int], None],
                 bring_on_show: Callable[[int], object],
                 run_action: Callable[[str], bool],
                 focus_back: Callable[[], None]) -> None:
        """`host` is the widget the panels float over; `focus_back` is called when the last
        panel (or the find bar) closes; `run_action` runs a command chosen in the help."""
        super().__init__(host)
        self.transcript = transcript
        self.find_bar = find_bar
        find_bar.all_loaded = lambda: transcript.fully_loaded  # older messages load lazily
        find_bar.load_all_then = transcript.load_all_then
        transcript.opened.connect(find_bar.conversation_changed)
        self._open_conversation = open_conversation
        self._bring_on_show = bring_on_show
        self._focus_back = focus_back
        self._conversations = conversations
        self._search = search
        self._rename = rename
        self._run_action = run_action
        self._host = host
        # Made when first opened, not before the first paint (B3): together they took
        # about a tenth of the window's construction, and most sessions open few of them.
        self._help: HelpOverlay | None = None
        self._switcher: QuickSwitcher | None = None
        self._search_panel: SearchPanel | None = None
        self._rename_prompt: RenamePrompt | None = None
        self.backdrop: Backdrop | None = None  # made when the first panel opens
        find_bar.closed.connect(focus_back)

    @property
    def overlays(self) -> tuple[Overlay, ...]:
        """The panels made so far (one never made is not open)."""
        made = (self._help, self._switcher, self._search_panel, self._rename_prompt)
        return tuple(overlay for overlay in made if overlay is not None)

    @property
    def help(self) -> HelpOverlay:
        if self._help is None:
            self._help = self._adopt(HelpOverlay(self._host, self._run_action))
        return self._help

    @property
    def switcher(self) -> QuickSwitcher:
        if self._switcher is None:
            self._switcher = self._adopt(QuickSwitcher(self._host, self._conversations,
                                                       self.tr("New conversation")))
            self._switcher.chosen.connect(self._open_conversation)
        return self._switcher

    @property
    def search_panel(self) -> SearchPanel:
        if self._search_panel is None:
            self._search_panel = self._adopt(SearchPanel(self._host, self._search))
            self._search_panel.chosen.connect(self.open_hit)
        return self._search_panel

    @property
    def rename_prompt(self) -> RenamePrompt:
        if self._rename_prompt is None:
            self._rename_prompt = self._adopt(RenamePrompt(self._host))
            self._rename_prompt.renamed.connect(self._rename)
        return self._rename_prompt

    def _adopt(self, overlay: PanelT) -> PanelT:
        overlay.closed.connect(self._after_overlay)
        overlay.installEventFilter(self)
        return overlay

    # Commands

    def open_help(self) -> None:
        self.open_overlay(self.help)

    def open_switcher(self) -> None:
        self.open_overlay(self.switcher)

    def open_search(self) -> None:
        self.open_overlay(self.search_panel)

    def open_find(self) -> None:
        selected = self.transcript.textCursor().selectedText()
        self.find_bar.open(selected or None)

    def find_step(self, forward: bool) -> None:
        if not self.find_bar.isVisible():
            self.find_bar.open()
        self.find_bar.find(forward=forward)

    def ask_rename(self, conversation_id: int, title: str) -> None:
        self.close_overlays()
        self.rename_prompt.ask(conversation_id, title)

    # Opening and closing

    def open_overlay(self, overlay: Overlay) -> None:
        for other in self.overlays:
            if other is not overlay:
                other.close_overlay()
        overlay.open()

    def close_top(self) -> bool:
        """Esc: close the open panel, else the find bar; False when none was open."""
        for overlay in self.overlays:
            if overlay.isVisible():
                overlay.close_overlay()
                return True
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
            return True
        return False

    def close_overlays(self) -> None:
        for overlay in self.overlays:
            overlay.close_overlay()

    def _after_overlay(self) -> None:
        if not any(overlay.isVisible() for overlay in self.overlays):
            self._focus_back()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """However a panel opens or closes, the veil behind it follows."""
        if watched in self.overlays:
            if event.type() == QEvent.Type.Show:
                if self.backdrop is None:
                    self.backdrop = Backdrop(self._host, self.close_overlays)
                if watched.graphicsEffect() is None:
                    add_shadow(watched)  # type: ignore[arg-type]
                self.backdrop.cover(watched)  # type: ignore[arg-type]
            elif event.type() == QEvent.Type.Hide and self.backdrop is not None \
                    and not any(o.isVisible() for o in self.overlays if o is not watched):
                self.backdrop.hide()
        return False

    # A search hit

    def open_hit(self, conversation_id: int, message_id: int, query: str) -> None:
        """Open a search hit: its conversation, scrolled to the message, the hit selected."""
        self._bring_on_show(message_id)  # a hit in another branch: that branch
        self._open_conversation(conversation_id)
        # An old message loads in background steps, the view at the top meanwhile.
        self.transcript.load_down_to_then(message_id, lambda: self._show_hit(message_id,
                                                                             query))

    def _show_hit(self, message_id: int, query: str) -> None:
        transcript = self.transcript
        if not transcript.shows(message_id):
            return
        transcript.open_thinking_for(message_id, query)  # a hit only in its thinking
        if not transcript.fully_loaded:  # the find bar needs all: they load in steps
            transcript.select_message(message_id)  # meanwhile, the message is shown
            transcript.load_all_then(lambda: self._find_hit(message_id, query))
            return
        self._find_hit(message_id, query)

    def _find_hit(self, message_id: int, query: str) -> None:
        """The hit's words in the find bar, from the hit's message on."""
        transcript = self.transcript
        start = transcript.position_of(message_id)
        if start is None:
            return
        for needle in (query.strip(), *sorted(query.split(), key=len, reverse=True)):
            self.find_bar.open(needle)
            if self.find_bar.find(start=start) and (
                    transcript.message_at(transcript.textCursor().position()) == message_id):
                return
        self.find_bar.close_bar()
        transcript.select_message(message_id)

"""What the user can do to a message: copy it or its code, regenerate, edit, delete,
and walk its siblings (`‹ i/n ›`, branches of the conversation tree); from the context
menu, footer links and keys.

It reads the messages from the transcript's index and works on the text browser; it
does not know the Transcript class. Changes to history (regenerate, edit, delete,
retry, another branch) leave as signals, which the transcript passes on to the main
window; copying happens here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QContextMenuEvent, QDesktopServices, QGuiApplication, QTextBlock
from PySide6.QtWidgets import QMenu, QTextBrowser

from opchat_gui.core.messages import REGENERABLE_STATES, RETRYABLE_STATES, Message
from opchat_gui.render.links import COPY_CODE, safe_url
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.transcript.details import details_text, has_details
from opchat_gui.ui.transcript.folds import parse_fold
from opchat_gui.ui.transcript.index import BRANCH, MessageIndex

RETRY = "action:retry"
CONTINUE = "action:continue"
COPY_MESSAGE = "opchat:copy-message/"
EDIT = "opchat:edit/"
REGENERATE = "opchat:regenerate/"
DETAILS = "opchat:details/"
ICONS = {COPY_MESSAGE: "copy", EDIT: "pencil", REGENERATE: "refresh-cw",
         DETAILS: "info"}  # footer icons
CODE_SEARCH_BLOCKS = 2_000  # how far up a code block's header is looked for


class MessageActions(QObject):
    retryRequested = Signal()
    continueRequested = Signal()
    messageActionRequested = Signal(str, int)  # "edit", "delete", "details"…, message id
    branchRequested = Signal(int, int)  # message id, -1 (the sibling before) or +1 (after)
    foldRequested = Signal(str, int)  # a fold line was clicked: its kind, the message id

    def __init__(self, view: QTextBrowser, index: MessageIndex) -> None:
        super().__init__(view)
        self.view = view
        self.index = index
        self.selected: int | None = None
        self.clicked_at: int | None = None  # where the mouse released, while it is handled
        # A message's code block still streaming, as far as it shows (the view sets it).
        self.open_code: Callable[[int], str | None] = lambda _message_id: None
        # Brings the message above the oldest loaded one in (paging.py); whether one came.
        self.load_older: Callable[[], bool] = lambda: False

    # Footer links under a message

    def footer_links(self, message: Message) -> list[tuple[str, str]]:
        """(text, href) under a message; an href of ICONS shows as its icon, the text as
        its tool tip."""
        links = self.branch_links(message)
        if message.role == "user":
            links.append((self.tr("Edit (a new branch)"), f"{EDIT}{message.id}"))
            if message.content:
                links.append((self.tr("Copy"), f"{COPY_MESSAGE}{message.id}"))
            return links
        if message.role != "assistant":
            return links
        if message.retryable:
            links.append((keymap.with_hint(self.tr("Retry"), "retry"), RETRY))
        if message.continuable:  # a partial reply can go on where it stopped
            links.append((keymap.with_hint(self.tr("Continue"), "continue_reply"), CONTINUE))
        elif message.state not in RETRYABLE_STATES and message.content:
            links.append((self.tr("Copy"), f"{COPY_MESSAGE}{message.id}"))
        if message.state in REGENERABLE_STATES and not message.tool_calls:  # not mid-turn
            links.append((keymap.with_hint(self.tr("Regenerate"), "retry"),
                          f"{REGENERATE}{message.id}"))
        # What it was made with, as the icon's tool tip; a turn that only called tools is
        # one step of the reply below it, which shows the same details.
        if has_details(message) and not message.tool_calls:
            links.append((details_text(message), f"{DETAILS}{message.id}"))
        return links

    def branch_links(self, message: Message) -> list[tuple[str, str]]:
        """`‹ i/n ›` for a message with siblings: the arrows step (Tab reaches them)."""
        fork = self.index.forks.get(message.id)
        if fork is None:
            return []
        place, count = fork
        return [("‹", f"{BRANCH}{message.id}/-1"), (f"{place}/{count}", ""),
                ("›", f"{BRANCH}{message.id}/1")]

    def on_anchor(self, url: QUrl) -> None:
        href = url.toString()
        if href == RETRY:
            self.retryRequested.emit()
        elif href == CONTINUE:
            self.continueRequested.emit()
        elif href.startswith(COPY_CODE):
            message_id, _, index = href[len(COPY_CODE):].partition("/")
            self.copy_code(int(message_id), int(index))
        elif href.startswith(COPY_MESSAGE):
            self._on_message_icon(href[len(COPY_MESSAGE):], self.copy_message)
        elif href.startswith(EDIT):
            self._on_message_icon(href[len(EDIT):],
                                  lambda mid: self.messageActionRequested.emit("edit", mid))
        elif href.startswith(DETAILS):
            self._on_message_icon(href[len(DETAILS):],
                                  lambda mid: self.messageActionRequested.emit("details", mid))
        elif href.startswith(REGENERATE):
            self._on_message_icon(href[len(REGENERATE):],
                                  lambda mid: self.messageActionRequested.emit("regenerate",
                                                                               mid))
        elif (fold := parse_fold(href)) is not None:
            self.foldRequested.emit(*fold)
        elif href.startswith(BRANCH):
            message_id, _, delta = href[len(BRANCH):].partition("/")
            if delta in ("-1", "1"):
                self.branchRequested.emit(int(message_id), int(delta))
        elif safe_url(href) and url.scheme().lower() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)  # the system browser; nothing loads in here

    def _on_message_icon(self, rest: str, run: Callable[[int], object]) -> None:
        """An action icon's link names no message (one shared format for all of them,
        not one per message: ~2 MB over 1,000 messages); the message is the one the
        click or the keyboard's link selection is in. `rest`: an id, when a link has one."""
        if rest.isdigit():
            run(int(rest))
            return
        position = self.clicked_at if self.clicked_at is not None \
            else self.view.textCursor().selectionStart()
        message_id = self.index.message_at(self.view.document(), position)
        if message_id is not None:
            run(message_id)

    # Copying

    def copy_message(self, message_id: int) -> bool:
        message = self.index.messages.get(message_id)
        if message is None:
            return False
        QGuiApplication.clipboard().setText(message.content)
        return True

    def copy_code(self, message_id: int, index: int) -> bool:
        """The block's code; for the one still streaming (the index has no entry for it
        yet), the code it shows so far."""
        codes = self.index.codes.get(message_id, [])
        if 0 <= index < len(codes):
            code: str | None = codes[index]
        else:
            code = self.open_code(message_id) if index == len(codes) else None
        if code is None:
            return False
        QGuiApplication.clipboard().setText(code)
        return True

    def copy_selected_or_last_reply(self) -> bool:
        """Ctrl+Shift+C: the message chosen with Alt+Up/Down, else the last reply."""
        if self.selected is not None and self.selected in self.index:
            return self.copy_message(self.selected)
        for message_id in reversed(self.index.order):
            message = self.index.messages[message_id]
            if message.role == "assistant" and message.content:
                return self.copy_message(message_id)
        return False

    def copy_last_code(self) -> bool:
        for message_id in reversed(self.index.order):
            codes = self.index.codes.get(message_id)
            if codes:
                return self.copy_code(message_id, len(codes) - 1)
        return False

    # Choosing a message with the keyboard

    def step(self, delta: int) -> int | None:
        """Alt+Up / Alt+Down: select the previous / next message."""
        order = self.index.order
        if not order:
            return None
        if self.selected in self.index:
            index = order.index(self.selected) + delta
            if index < 0 and self.load_older():  # older messages not loaded yet
                index = order.index(self.selected) - 1
        else:
            index = len(order) - 1 if delta < 0 else 0
        self.selected = order[max(0, min(len(order) - 1, index))]
        self.reveal(self.selected)
        return self.selected

    def step_branch(self, delta: int) -> bool:
        """Alt+Left / Alt+Right: the chosen message's sibling before / after (with none
        chosen, the lowest message on show that has siblings)."""
        chosen = self.selected if self.selected in self.index else None
        if chosen is None:
            chosen = next((m for m in reversed(self.index.order) if m in self.index.forks),
                          None)
        if chosen is None or chosen not in self.index.forks:
            return False
        self.branchRequested.emit(chosen, delta)
        return True

    def reveal(self, message_id: int) -> None:
        """Select the whole message and scroll to it: Ctrl+C then copies it."""
        self.view.setTextCursor(self.index.range(message_id, self.view.document()))
        self.view.ensureCursorVisible()

    def clear_selection(self) -> None:
        self.selected = None

    # The context menu

    def context_menu(self, event: QContextMenuEvent) -> None:
        view = self.view
        position = view.cursorForPosition(event.pos()).position()
        message_id = self.index.message_at(view.document(), position)
        menu = QMenu(view)
        if view.textCursor().hasSelection():
            menu.addAction(self.tr("Copy selection"), view.copy)
        if message_id is not None:
            message = self.index.messages[message_id]
            self.selected = message_id
            menu.addAction(self.tr("Copy message"), lambda: self.copy_message(message_id))
            code = self.code_at(position)
            if code is not None:
                menu.addAction(self.tr("Copy code block"), lambda: self.copy_code(*code))
            last = self.index.order[-1] if self.index.order else None
            redo = message.retryable or message.state in REGENERABLE_STATES
            if message.role == "assistant" and message_id == last and redo:
                name = self.tr("Retry") if message.retryable else self.tr("Regenerate")
                menu.addAction(f"{name}\t{keymap.hint('retry')}", self.retryRequested.emit)
            if has_details(message):
                menu.addAction(self.tr("Reply details…"),
                               lambda: self.messageActionRequested.emit("details", message_id))
            if message.role == "user":
                menu.addAction(self.tr("Edit (a new branch)"),
                               lambda: self.messageActionRequested.emit("edit", message_id))
            place, count = self.index.forks.get(message_id, (0, 0))
            if place > 1:
                previous = self.tr("Previous branch")
                menu.addAction(f"{previous}\t{keymap.hint('previous_branch')}",
                               lambda: self.branchRequested.emit(message_id, -1))
            if place and place < count:
                following = self.tr("Next branch")
                menu.addAction(f"{following}\t{keymap.hint('next_branch')}",
                               lambda: self.branchRequested.emit(message_id, 1))
            menu.addSeparator()
            menu.addAction(self.tr("Delete message"),
                           lambda: self.messageActionRequested.emit("delete", message_id))
        if menu.isEmpty():
            return
        menu.exec(event.globalPos())

    def last_user_message(self) -> Message | None:
        return self.index.last("user")

    def code_at(self, position: int) -> tuple[int, int] | None:
        """(message id, index) of the code block at a position, from its Copy link."""
        block = self.view.document().findBlock(position)
        if not (_in_code(block) or _copy_href(block)):
            return None
        for _ in range(CODE_SEARCH_BLOCKS):
            if not block.isValid():
                return None
            href = _copy_href(block)
            if href:
                message_id, _, index = href[len(COPY_CODE):].partition("/")
                return int(message_id), int(index)
            if not _in_code(block) and block.position() < position:
                return None
            block = block.previous()
        return None


def _in_code(block: QTextBlock) -> bool:
    """A line of a code block: its <pre> wraps (pre-wrap), so Qt no longer marks it
    non-breakable; it is the block with a background whose text is monospace."""
    if block.blockFormat().nonBreakableLines():
        return True
    if block.blockFormat().background().style() == Qt.BrushStyle.NoBrush:
        return False
    it = block.begin()
    return not it.atEnd() and "monospace" in (it.fragment().charFormat().fontFamilies() or [])


def _copy_href(block: QTextBlock) -> str:
    it = block.begin()
    while not it.atEnd():
        href = it.fragment().charFormat().anchorHref()
        if href.startswith(COPY_CODE):
            return href
        it += 1
    return ""

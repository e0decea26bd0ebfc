"""The main window: conversation list on the left, transcript over composer on the right.

It is built in two steps, so that start-up paints it before most of the app is imported
(app/launch.py): the frame (`MainWindow(None, ...)`: the list with its conversations,
the header, the composer, the menus and the status line, the transcript's place held by
an empty view of its look) needs only light modules; `finish(service, ...)` imports and
makes the rest in that same window. `MainWindow(service, ...)` does both at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractSlider,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.config.settings import BY_KEY, FONT_SIZES, Settings
from opchat_gui.core.summary import ConversationSummary
from opchat_gui.core.text import fill
from opchat_gui.ui.input_hold import InputHold
from opchat_gui.ui.keys import keymap, registry
from opchat_gui.ui.keys.registry import CommandRegistry
from opchat_gui.ui.theme import Theme, ThemeManager
from opchat_gui.ui.transcript.status import StreamStatus
from opchat_gui.ui.widgets.composer import Composer
from opchat_gui.ui.widgets.context_status import ContextStatus, marker_text
from opchat_gui.ui.widgets.conversation_list import ID_ROLE, ConversationModel
from opchat_gui.ui.widgets.header import ConversationHeader
from opchat_gui.ui.widgets.operation_progress import OperationProgress
from opchat_gui.ui.widgets.sidebar import Sidebar

if TYPE_CHECKING:  # made in finish(), or when first opened (the dialogs)
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QResizeEvent, QTextCursor
    from PySide6.QtWidgets import QMessageBox

    from opchat_gui.chat import ChatService
    from opchat_gui.chat.provider_service import ProviderService
    from opchat_gui.chat.tool_turns import Approval
    from opchat_gui.core.messages import Conversation, Message
    from opchat_gui.ui.attaching import Attaching
    from opchat_gui.ui.dialogs.data_menu import DataMenu
    from opchat_gui.ui.dialogs.generation import GenerationDialog
    from opchat_gui.ui.dialogs.provider_picker import ProviderPicker
    from opchat_gui.ui.dialogs.settings import SettingsDialog
    from opchat_gui.ui.dialogs.system_prompt import SystemPromptDialog
    from opchat_gui.ui.keys.commands import ConversationCommands
    from opchat_gui.ui.panels.find_bar import FindBar
    from opchat_gui.ui.panels.host import PanelHost
    from opchat_gui.ui.transcript.view import Transcript
    from opchat_gui.ui.widgets.attachment_chips import AttachmentChips
    from opchat_gui.ui.widgets.drafts import DraftKeeper
    from opchat_gui.ui.widgets.empty_hint import EmptyConversation
    from opchat_gui.ui.widgets.tool_approval import ToolApprovalBar
    from opchat_gui.ui.widgets.welcome import WelcomePane

APP_TITLE = "opchat-gui"
FONT_KEYS = ("transcript_font_size", "composer_font_size")
CONTEXT_DELAY_MS = 250  # the status line's token estimate follows the composer this late
# After Enter the list's reorder, streaming mark and the header wait this long (or for the
# reply's end): the request leaves and its first token is painted without them first.
LIST_AFTER_SEND_MS = 60


def _end() -> QTextCursor.MoveOperation:
    from PySide6.QtGui import QTextCursor  # its enums are not made at start-up (B3)

    return QTextCursor.MoveOperation.End


class MainWindow(QMainWindow):
    closed = Signal()
    demoRequested = Signal()  # the welcome pane's demo choice; app/main.py starts the server

    # Made by finish().
    service: ChatService
    transcript: Transcript
    chips: AttachmentChips
    empty_hint: EmptyConversation
    find_bar: FindBar
    tool_approval: ToolApprovalBar
    drafts: DraftKeeper
    attaching: Attaching
    panels: PanelHost
    conversations: ConversationCommands

    def __init__(self, service: ChatService | None, *, demo_note: str = "",
                 settings: Settings | None = None, themes: ThemeManager | None = None,
                 data_folder: Path | None = None,
                 providers: ProviderService | None = None,
                 keys_file: Path | None = None,
                 conversations: list[ConversationSummary] | None = None,
                 current: int | None = None) -> None:
        """With a service, the whole window. With None, the frame only (start-up's first
        paint): `conversations` in the list, `current` chosen in it; `finish` completes
        it (and gives the demo note, if any, its final words)."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.providers = providers
        self.picker: ProviderPicker | None = None
        self.prompt_dialog: SystemPromptDialog | None = None
        self.generation_dialog: GenerationDialog | None = None
        self.settings = settings if settings is not None else Settings()
        if themes is None:
            themes = ThemeManager(self.settings["theme"])
            themes.apply()
        self.themes = themes
        self.data_folder = data_folder
        self.settings_dialog: SettingsDialog | None = None
        self.current_id: int | None = None
        self.data_menu: DataMenu | None = None  # the History menu, wired in by app/main.py
        self.editing_id: int | None = None  # the user message the composer is editing
        self.tools_problem = ""  # why the tool servers file could not be read (app/main.py)
        self.welcome: WelcomePane | None = None  # built only on a first run (no history)
        self.complete = False  # finish() has run
        self.hold = InputHold(self)  # keys typed before finish() (hold_input)
        self._syncing = False
        self._frame_rows = conversations or []
        self.setWindowTitle(APP_TITLE + (self.tr(" — demo") if demo_note else ""))
        self.resize(1100, 720)

        self.model = ConversationModel(self._list_rows, self._is_streaming)
        self.side = Sidebar(self.model, themes)
        self.sidebar = self.side.list
        self.banner = QLabel(demo_note)
        self.banner.setObjectName("demoBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(bool(demo_note))
        self.header = ConversationHeader(themes)
        # The transcript's place until finish(): an empty view of the same look and size.
        self._transcript_place = QTextBrowser()
        self._transcript_place.setObjectName("transcript")
        self._transcript_place.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.composer = Composer()
        self.stream_status = StreamStatus()
        self.settings_button = QToolButton()
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.setAutoRaise(True)
        self.settings_button.setText(self.tr("Settings"))
        self.settings_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.settings_button.clicked.connect(self.open_settings)
        self.context_status = ContextStatus()
        self.statusBar().addWidget(self.stream_status, 1)
        self.statusBar().addPermanentWidget(self.context_status)
        self.statusBar().addPermanentWidget(self.settings_button)
        # Export, import and backup progress (the History menu's, app/main.py), hidden.
        self.operation_progress = OperationProgress()
        self.statusBar().addPermanentWidget(self.operation_progress)

        pane = QWidget()
        column = self._column = QVBoxLayout(pane)
        column.setContentsMargins(8, 8, 8, 8)
        header_bar = QWidget()
        header_row = QHBoxLayout(header_bar)
        header_row.setContentsMargins(0, 0, 0, 0)
        header_row.addWidget(self.side.reveal_button)
        header_row.addWidget(self.header, 1)
        # finish() puts the transcript in its place and the find bar, the tool approval,
        # the problem line and the attachment chips (hidden until needed) under it.
        for widget in (self.banner, header_bar, self._transcript_place, self.composer):
            column.addWidget(widget)
        column.setStretchFactor(self._transcript_place, 1)
        # A plain row, not a QSplitter: inside a splitter Qt's style sheet polish reset the
        # composer's font to the app's at show (9 pt beside an 11 pt transcript).
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(pane, 1)
        self.side.dock_in(row)
        self.setCentralWidget(central)
        self.registry = CommandRegistry(self, keys_file)  # the menus; enabled by finish()
        self._show_keys()
        self._transcript_place.setFont(self._font("transcript"))
        self.composer.setFont(self._font("composer"))
        self.composer.set_send_key(str(self.settings["send_key"]))
        self.model.refresh()
        self._show_frame_header(current)
        self.composer.take_focus()
        if service is not None:
            self.finish(service, demo_note=demo_note, data_folder=data_folder,
                        providers=providers)

    def _list_rows(self) -> list[ConversationSummary]:
        return self.service.conversation_list() if self.complete else self._frame_rows

    def _is_streaming(self, conversation_id: int) -> bool:
        return self.complete and self.service.is_streaming(conversation_id)

    def _show_frame_header(self, current: int | None) -> None:
        """The conversation start-up will open, as far as the list knows it."""
        row = -1 if current is None else self.model.row_of(current)
        if row < 0:
            self.header.show_conversation(self.tr("New conversation"), "",
                                          has_conversation=False)
            return
        self.current_id = current
        self._select_current()
        self.current_id = None  # nothing is open until finish() and open_conversation
        self.header.show_conversation(self.model.title(self.model.rows()[row]), "",
                                      has_conversation=True)

    def hold_input(self) -> None:
        """Keep what is typed from now until release_input(); the frame is shown."""
        self.hold.start(self, (self.composer, self.sidebar, self.side.filter))

    def release_input(self) -> int:
        """Give the keys typed while held to the focused widget; how many events."""
        target = self.focusWidget() or self.composer
        return self.hold.release(target)

    def finish(self, service: ChatService, *, demo_note: str = "",
               data_folder: Path | None = None,
               providers: ProviderService | None = None) -> None:
        """Make the rest of the window, in place: the transcript where its place was,
        the panels, drafts and attachments, and the commands' owners."""
        from opchat_gui.ui.attaching import Attaching
        from opchat_gui.ui.keys.commands import ConversationCommands
        from opchat_gui.ui.panels.find_bar import FindBar
        from opchat_gui.ui.panels.host import PanelHost
        from opchat_gui.ui.transcript.view import Transcript
        from opchat_gui.ui.widgets.attachment_chips import AttachmentChips
        from opchat_gui.ui.widgets.drafts import DraftKeeper
        from opchat_gui.ui.widgets.empty_hint import EmptyConversation
        from opchat_gui.ui.widgets.tool_approval import ToolApprovalBar

        self.service = service
        self.providers = providers
        self.data_folder = data_folder
        if demo_note:
            self.setWindowTitle(APP_TITLE + self.tr(" — demo"))
            self.banner.setText(demo_note)
            self.banner.setVisible(True)
        self.transcript = Transcript()
        self.chips = AttachmentChips()
        self.chips.then = self.composer
        self.empty_hint = EmptyConversation(self.transcript)
        self.find_bar = FindBar(self.transcript)
        self.find_bar.object_matches = self.transcript.table_matches
        self.find_bar.show_object_match = self.transcript.show_table_match
        self.tool_approval = ToolApprovalBar()
        self.problem = QLabel()
        self.problem.setObjectName("problemBanner")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        column = self._column
        place = self._transcript_place
        at = column.indexOf(place)
        column.removeWidget(place)
        place.hide()
        place.deleteLater()
        for offset, widget in enumerate((self.transcript, self.find_bar, self.tool_approval,
                                         self.problem, self.chips)):
            column.insertWidget(at + offset, widget)
        column.setStretchFactor(self.transcript, 1)
        # The typed message counts too, once typing pauses (not per key).
        self._context_later = QTimer(self, singleShot=True, interval=CONTEXT_DELAY_MS)
        # Only while shown: a hidden window's history may be closed already (quitting).
        self._context_later.timeout.connect(lambda: self.isVisible() and self._show_context())
        self._list_later = QTimer(self, singleShot=True, interval=LIST_AFTER_SEND_MS)
        self._list_later.timeout.connect(lambda: self.isVisible() and self._refresh_list())
        self.setTabOrder(self.composer, self.transcript)
        self.setTabOrder(self.transcript, self.sidebar)

        self.drafts = DraftKeeper(service, self.composer, lambda: self.current_id, self)
        self.attaching = Attaching(self, service, self.chips, conversation=self._files_target,
                                   problem=self.show_problem,
                                   notice=self._attach_notice)
        self.setAcceptDrops(True)
        self.drafts.load(None)
        self.panels = PanelHost(
            self, self.transcript, self.find_bar, conversations=self.model.rows,
            search=service.search, rename=service.rename,
            open_conversation=self.open_conversation, bring_on_show=service.bring_on_show,
            run_action=self.registry.trigger,
            focus_back=self.composer.take_focus)
        self.conversations = ConversationCommands(
            service, self.model, current=lambda: self.current_id,
            open_conversation=self.open_conversation, ask_rename=self.panels.ask_rename,
            status=self.statusBar().showMessage, parent=self)
        self.complete = True
        self._frame_rows = []  # the list is the history's from now on (model.refresh below)
        self.registry.add_owner(registry.WINDOW, self)
        self.registry.add_owner(registry.PANELS, self.panels)
        self.registry.add_owner(registry.CONVERSATION, self.conversations)
        self._connect_signals()
        self._show_keys()
        for key in ("transcript_font_family", "composer_font_family", "send_key",
                    "follow_stream"):
            self._on_setting_changed(key, self.settings[key])
        self._on_theme_changed(self.themes.theme)
        if self.settings.notices:
            self.show_problem("\n".join(notice.render(QCoreApplication.translate)
                                        for notice in self.settings.notices))
        self.model.refresh()
        self._show_header()
        self.composer.take_focus()
        if (self.model.rowCount() == 0 and self.providers is not None
                and not self.providers.chosen_for_run()):  # --url/--demo chose already
            self.show_welcome()

    # Commands (each bound in keymap.KEYMAP)

    def new_conversation(self) -> None:
        self.open_conversation(None)

    def open_conversation(self, conversation_id: int | None) -> None:
        if conversation_id is not None and self.service.conversation(conversation_id) is None:
            conversation_id = None
        self.drafts.leave(self.current_id)
        if conversation_id != self.current_id:
            self.statusBar().clearMessage()  # "Exported to …" belongs to the one we leave
        self.current_id = conversation_id
        self.drafts.load(conversation_id)
        self.attaching.show(conversation_id)
        self._cancel_edit()
        if conversation_id is None:
            self.transcript.show_messages([])
        else:
            self.transcript.forks = {}
            self.transcript.open(lambda before, limit: self._page(conversation_id, before,
                                                                  limit))
        self._select_current()
        self._show_header()
        self.tool_approval.show_approval(None if conversation_id is None
                                         else self.service.pending_approval(conversation_id))
        self.composer.take_focus()

    def _page(self, conversation_id: int, before: int | None, limit: int) -> list[Message]:
        """The transcript's loader: a page of the branch on show, its forks noted first."""
        messages, forks = self.service.page(conversation_id, before, limit)
        self.transcript.forks.update(forks)
        return messages

    def step_conversation(self, delta: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        row = -1 if self.current_id is None else self.model.row_of(self.current_id)
        target = max(0, min(count - 1, row + delta)) if row >= 0 else (0 if delta > 0 else -1)
        target_id = self.model.id_at(target)
        if target_id is not None and target_id != self.current_id:
            self.open_conversation(target_id)

    def go_to(self, position: int) -> None:
        target = self.model.id_at(position - 1)
        if target is not None:
            self.open_conversation(target)

    def escape(self) -> None:
        """Esc: close the open panel or find bar; with none open, stop the reply."""
        if not self.panels.close_top():
            self.stop_reply()

    def stop_reply(self) -> None:
        """Esc: cancel a running export or backup first, else stop the reply."""
        if self.data_menu is not None and self.data_menu.cancel_operation():
            return
        if self.current_id is not None and self.service.stop(self.current_id):
            return
        if self.editing_id is not None:
            self._cancel_edit()
            self.composer.clear()

    def answer_tool(self, decision: str) -> None:
        """Allow once, always allow or deny the tool call waiting in this conversation."""
        if self.current_id is None or not self.service.answer_tool(self.current_id, decision):
            self.statusBar().showMessage(self.tr("No tool call is waiting for an answer."),
                                         4000)

    def toggle_tool(self) -> None:
        if not self.transcript.toggle_tool():
            self.statusBar().showMessage(self.tr("This conversation has no tool calls."),
                                         4000)

    def _on_tool_approval(self, approval: Approval) -> None:
        if approval.conversation_id == self.current_id:
            self.tool_approval.show_approval(approval)

    def _on_tool_answered(self, conversation_id: int) -> None:
        if conversation_id == self.current_id:
            self.tool_approval.show_approval(self.service.pending_approval(conversation_id))

    def retry_reply(self) -> None:
        """Retry a failed or stopped reply, or regenerate a finished one."""
        if self.current_id is not None:
            (self.service.retry(self.current_id)
             or self.service.regenerate(self.current_id))

    def edit_last_message(self, message_id: int | None = None) -> None:
        """Put a user message in the composer (the one given, else the chosen one if it is
        yours, else your last); Enter sends it as a new branch, Esc cancels."""
        messages = self.transcript.messages
        chosen = self.transcript.actions.selected
        if message_id is None and chosen is not None and chosen in messages \
                and messages[chosen].role == "user":
            message_id = chosen
        target = (messages.get(message_id) if message_id is not None
                  else self.transcript.actions.last_user_message())
        if target is None or target.role != "user":
            return
        self.editing_id = target.id
        if self.current_id is not None:  # its files become the chips, to keep or remove
            self.service.files.begin_edit(self.current_id, target.id)
        self.composer.setPlainText(target.content)
        self.composer.moveCursor(_end())
        self.composer.take_focus()
        self.statusBar().showMessage(fill(self.tr(
            "Editing your message: %1 sends it as a new branch (the old one stays), "
            "%2 cancels."), keymap.named("send"), keymap.named("stop")), 0)

    def delete_chosen_message(self, message_id: int | None = None) -> QMessageBox | None:
        """Ask first, saying how many messages go (the message and all below it)."""
        from PySide6.QtWidgets import QMessageBox

        chosen = message_id if message_id is not None else self.transcript.actions.selected
        if chosen is None:
            self.statusBar().showMessage(
                fill(self.tr("Choose a message with %1 or %2 first."),
                     keymap.named("previous_message"), keymap.named("next_message")), 4000)
            return None
        count = self.service.subtree_size(chosen)
        if not count:
            return None
        if self.current_id is not None and self.service.is_streaming(self.current_id):
            self.statusBar().showMessage(fill(self.tr(
                "A reply is still streaming here: stop it with %1 or let it finish, then "
                "delete."), keymap.named("stop")), 6000)
            return None
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete message"), fill(self.tr(
            "Delete this message and everything below it in its branch? Messages that go: "
            "%1. You can undo it for 10 seconds."), count),
            QMessageBox.StandardButton.Cancel, self)
        delete = box.addButton(self.tr("&Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(delete)
        box.setObjectName("confirmDeleteMessage")

        def done() -> None:
            if box.clickedButton() is delete and self.service.delete_message(chosen):
                self.transcript.actions.clear_selection()
                self.statusBar().showMessage(fill(self.tr(
                    "Messages deleted: %1. Press %2 within 10 seconds to undo."), count,
                    keymap.named("undo_delete")), 10_000)
            box.deleteLater()
        box.finished.connect(done)
        box.open()
        return box

    def switch_branch(self, message_id: int | None, delta: int) -> None:
        """Show a message's sibling (Alt+Left/Right on the chosen message, or `‹ ›`)."""
        if self.current_id is None:
            return
        if message_id is None:
            self.transcript.actions.step_branch(delta)  # comes back here with an id
            return
        keep_chosen = self.transcript.actions.selected == message_id
        shown = self.service.switch_branch(self.current_id, message_id, delta)
        if shown is not None and keep_chosen:
            self.transcript.actions.selected = shown
            self.transcript.actions.reveal(shown)

    def _on_branch_changed(self, conversation_id: int, _fork_id: int) -> None:
        if conversation_id == self.current_id:
            self.transcript.redraw_from(self.service.path(conversation_id),
                                        self.service.path_messages,
                                        self.service.forks(conversation_id))
            self._show_header()  # a deleted last message brings the empty hint back

    def scroll_transcript(self, direction: int) -> None:
        """Ctrl+Home / Ctrl+End: the first or the latest message, wherever the focus is."""
        if direction < 0:
            self.transcript.scroll_to_start()
        else:
            self.transcript.scroll_to_end()

    def page_transcript(self, direction: int) -> None:
        """PgUp / PgDown from the composer: a page of the transcript up or down (older
        messages load as the top comes near, as with the wheel)."""
        self.transcript.verticalScrollBar().triggerAction(
            QAbstractSlider.SliderAction.SliderPageStepSub if direction < 0
            else QAbstractSlider.SliderAction.SliderPageStepAdd)

    def step_message(self, delta: int) -> None:
        self.transcript.actions.step(delta)

    def toggle_thinking(self) -> None:
        """Fold or unfold the chosen reply's thinking (else the newest reply that thought)."""
        if not self.transcript.toggle_thinking():
            self.statusBar().showMessage(self.tr("No finished reply here shows its thinking."),
                                         3000)

    def copy_reply(self) -> None:
        if self.transcript.actions.copy_selected_or_last_reply():
            self.statusBar().showMessage(self.tr("Copied the message as Markdown."), 3000)

    def copy_code(self) -> None:
        if self.transcript.actions.copy_last_code():
            self.statusBar().showMessage(self.tr("Copied the last code block."), 3000)

    def _cancel_edit(self) -> None:
        if self.editing_id is not None:
            self.editing_id = None
            self.service.files.end_edits()  # files attached for the edit go; the draft's return
            self.statusBar().clearMessage()

    def _on_message_action(self, action: str, message_id: int) -> None:
        if action == "edit":
            self.edit_last_message(message_id)
        elif action == "delete":
            self.delete_chosen_message(message_id)
        elif action == "details":
            self.show_reply_details(message_id)
        elif action == "regenerate":  # a reply's icon: only the last one has a redo
            order = self.transcript.order
            if order and order[-1] == message_id:
                self.retry_reply()
            else:
                self.statusBar().showMessage(
                    self.tr("Only the last reply can be regenerated."), 4000)

    def show_reply_details(self, message_id: int) -> QMessageBox | None:
        """What the reply was made with: provider, model, the settings sent."""
        from opchat_gui.ui.transcript.details import has_details, show_details

        message = self.transcript.messages.get(message_id)
        if message is None or not has_details(message):
            return None
        return show_details(self, message)

    def open_settings(self) -> SettingsDialog:
        """Show the settings dialog (non-modal: changes show in the window at once)."""
        if self.settings_dialog is None:
            from opchat_gui.chat.tool_servers import ToolServers
            from opchat_gui.ui.dialogs.keys_page import KeysPage
            from opchat_gui.ui.dialogs.providers_page import ProvidersPage
            from opchat_gui.ui.dialogs.settings import SettingsDialog
            from opchat_gui.ui.dialogs.tools_page import ToolsPage

            self.settings_dialog = SettingsDialog(self.settings, self.data_folder, self)
            if self.providers is not None:
                self.settings_dialog.add_page("providers", self.tr("Providers"),
                                              ProvidersPage(self.providers))
            self.settings_dialog.add_page("tools", self.tr("Tools"), ToolsPage(
                ToolServers(self.service.tools.host, self.tools_problem, self)))
            keys = KeysPage(self._save_keys)
            self.settings_dialog.add_page("keys", self.tr("Keys"), keys)
            keys.chain_after(self.settings_dialog.page_list)
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        self.settings_dialog.activateWindow()
        return self.settings_dialog

    def continue_reply(self) -> None:
        if self.current_id is not None:
            self.service.continue_reply(self.current_id)

    def bring_to_front(self) -> None:
        """Another launch asked for this window (see single_instance)."""
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized)
                            | Qt.WindowState.WindowActive)
        self.show()
        self.raise_()
        self.activateWindow()

    def show_notice(self, text: str) -> None:
        """A lasting note at the top (damaged file moved aside, read-only history, ...)."""
        shown = self.banner.text()
        self.banner.setText(f"{shown}\n{text}" if shown else text)
        self.banner.setVisible(True)

    def reload(self) -> None:
        """Re-read everything after the history changed underneath (import, restore)."""
        self.model.refresh()
        current = self.current_id
        self.current_id = None  # the old id may now name another conversation
        if current is not None and self.service.conversation(current) is None:
            current = None
        self.drafts.load(None)
        self.open_conversation(current)

    def open_providers(self) -> SettingsDialog:
        dialog = self.open_settings()
        if "providers" in dialog.page_ids:
            dialog.show_page("providers")
        return dialog

    def choose_model(self) -> ProviderPicker | None:
        """Pick the current conversation's provider and model (or the default for new ones)."""
        if self.providers is None:
            return None
        conversation = (None if self.current_id is None
                        else self.service.conversation(self.current_id))
        if conversation is not None:
            current = (conversation.provider or self.providers.default_id(), conversation.model)
            title = self.tr("Provider and model for this conversation")
        else:
            current = (self.providers.default_id(), "")
            title = self.tr("Default provider for new conversations")
        self.providers.look_for_local()  # a server started since: offered when it answers
        from opchat_gui.ui.dialogs.provider_picker import ProviderPicker

        self.picker = ProviderPicker(self.providers, current, title, self)
        self.picker.picked.connect(self._on_picked)
        self.picker.manageRequested.connect(self.open_providers)
        self.picker.finished.connect(lambda _r: self.composer.take_focus())
        self.picker.open()
        return self.picker

    def _current_or_new(self) -> Conversation | None:
        """The conversation a settings dialog edits: the current one, or a new one when
        none is open; None when the history is not writable (the banner says why)."""
        if self.current_id is None:
            created = self.service.new_conversation()
            if created is None:
                return None
            self.current_id = created.id
            self._select_current()
        return self.service.conversation(self.current_id)

    def edit_system_prompt(self) -> SystemPromptDialog | None:
        conversation = self._current_or_new()
        if conversation is None:
            return None
        conversation_id = conversation.id
        from opchat_gui.ui.dialogs.system_prompt import SystemPromptDialog

        self.prompt_dialog = SystemPromptDialog(conversation.system_prompt, self)
        self.prompt_dialog.saved.connect(
            lambda text: self.service.set_system_prompt(conversation_id, text))
        self.prompt_dialog.finished.connect(lambda _r: self.composer.take_focus())
        self.prompt_dialog.open()
        return self.prompt_dialog

    def edit_generation(self) -> GenerationDialog | None:
        """The current conversation's generation settings (a new conversation if none)."""
        if self.providers is None:
            return None
        conversation = self._current_or_new()
        if conversation is None:
            return None
        takes, defaults, name = self.providers.generation_for(conversation)
        from opchat_gui.ui.dialogs.generation import GenerationDialog

        dialog = self.generation_dialog = GenerationDialog(
            self.service.generation(conversation.id), takes_settings=takes,
            defaults=defaults, provider_name=name,
            step_limit=self.service.step_limit_field(conversation.id), parent=self)
        dialog.saved.connect(lambda values: self.service.set_generation(conversation.id,
                                                                        values))
        dialog.stepLimitSaved.connect(
            lambda value: self.service.set_step_limit(conversation.id, value))
        dialog.finished.connect(lambda _r: self.composer.take_focus())
        dialog.open()
        return dialog

    def _on_picked(self, provider_id: str, model: str) -> None:
        if self.providers is None:
            return
        if self.current_id is None:
            self.providers.set_default(provider_id)
        else:
            self.service.set_target(self.current_id, provider_id, model)
        self._show_header()

    def show_welcome(self) -> WelcomePane | None:
        """The first-run pane in place of the transcript and composer, until a choice."""
        if self.providers is None:
            return None
        if self.welcome is None:
            from opchat_gui.ui.widgets.welcome import WelcomePane  # first runs only

            self.welcome = WelcomePane(self.providers)
            self.welcome.chosen.connect(self.close_welcome)
            self.welcome.demoRequested.connect(self.demoRequested)
            self._column.insertWidget(self._column.indexOf(self.transcript), self.welcome, 1)
        for widget in (self.transcript, self.composer):
            widget.hide()
        self.welcome.show()
        self._show_header()
        self.welcome.setFocus()
        return self.welcome

    def close_welcome(self) -> None:
        if self.welcome is not None:
            self.welcome.hide()
        for widget in (self.transcript, self.composer):
            widget.show()
        self._show_header()
        self.composer.take_focus()

    def _fill_prompt(self, text: str) -> None:
        """An example prompt of the empty conversation, into the composer (not sent)."""
        self.composer.setPlainText(text)
        self.composer.moveCursor(_end())
        self.composer.take_focus()

    def _update_empty(self, target: str) -> None:
        empty = not self.transcript.order and self.editing_id is None
        if empty:
            self.empty_hint.show_target(target)
        self.empty_hint.setVisible(empty)

    # The view

    def toggle_sidebar(self) -> None:
        if not self.side.toggle():
            self.composer.take_focus()

    def focus_composer(self) -> None:
        self.composer.take_focus()

    def zoom(self, steps: int | None = None) -> None:
        """Change both font size settings by `steps` points (None: back to the defaults),
        so the size sticks and the settings page agrees."""
        low, high = FONT_SIZES
        for key in FONT_KEYS:
            size = (BY_KEY[key].default if steps is None
                    else max(low, min(high, int(self.settings[key]) + steps)))
            self.settings.set(key, size)
        self.statusBar().showMessage(
            fill(self.tr("Text size: %1 pt"), self.settings[FONT_KEYS[0]]), 2000)

    # Key bindings

    def _save_keys(self, overrides: dict[str, tuple[str, ...]]) -> None:
        """The keys page saved: apply everywhere now (registry.bindingsChanged follows)."""
        error = self.registry.rebind(overrides)
        if error:
            self.show_problem(fill(self.tr("Could not save the key bindings (%1). They apply "
                                           "until you quit."), error))

    def _show_keys(self) -> None:
        """Texts this window keeps that name keys, from the current bindings."""
        self.settings_button.setToolTip(keymap.with_hint(self.tr("Settings"), "settings"))
        self.side.show_keys()
        self.header.refresh_tooltips()
        self.composer.set_send_key(self.composer.send_key)

    def _on_bindings_changed(self) -> None:
        self._show_keys()
        self.tool_approval.refresh_keys()
        if self.current_id is not None:  # the footers' "Retry (Ctrl+R)" links
            self.open_conversation(self.current_id)

    # Wiring

    def _connect_signals(self) -> None:
        from opchat_gui.chat.settings_signal import settings_signal
        from opchat_gui.ui.attaching import PASTED_NAME

        service = self.service
        service.conversationsChanged.connect(self._on_conversations_changed)
        service.messageAdded.connect(self._on_message_added)
        service.messageChanged.connect(self._on_message_changed)
        service.chunk.connect(self._on_chunk)
        service.reasoning.connect(self._on_reasoning)
        service.replyStatus.connect(self.stream_status.on_reply_status)
        service.reasoning.connect(self.stream_status.on_reasoning)
        service.thinkingMoved.connect(self._on_thinking_moved)
        service.thinkingMoved.connect(self.stream_status.on_thinking_moved)
        service.streamingChanged.connect(self._on_streaming_changed)
        service.storageFailed.connect(self.show_problem)
        service.branchChanged.connect(self._on_branch_changed)
        service.context.changed.connect(self._on_context_changed)
        service.chunk.connect(self.stream_status.on_chunk)
        service.streamingChanged.connect(self.stream_status.on_streaming_changed)
        service.messageChanged.connect(self.stream_status.on_message_changed)
        settings_signal(self.settings).changed.connect(self._on_setting_changed)
        self.registry.bindingsChanged.connect(self._on_bindings_changed)
        self.themes.changed.connect(self._on_theme_changed)
        service.storageRecovered.connect(lambda: self.problem.setVisible(False))
        self.composer.submitted.connect(self._on_submit)
        self.composer.textChanged.connect(self._context_later.start)
        self.composer.editLastRequested.connect(self.edit_last_message)
        self.composer.pageRequested.connect(self.page_transcript)
        self.composer.filesGiven.connect(self.attaching.attach_paths)
        self.composer.imageGiven.connect(lambda data: self.attaching.attach_data(
            PASTED_NAME, data))
        self.composer.has_attachments = self.attaching.has_any
        self.transcript.files.attachments_of = lambda message_id: service.files.of_messages(
            [message_id]).get(message_id, [])
        self.transcript.files.data = service.files.data
        self.transcript.attachmentRequested.connect(self.attaching.open)
        self.transcript.retryRequested.connect(self.retry_reply)
        self.transcript.messageActionRequested.connect(self._on_message_action)
        self.transcript.branchRequested.connect(self.switch_branch)
        self.transcript.live_text = service.live_text
        self.transcript.live_reasoning = service.live_reasoning
        self.transcript.continueRequested.connect(self.continue_reply)
        self.sidebar.selectionModel().currentChanged.connect(self._on_list_current)
        if self.providers is not None:
            self.providers.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
            self.providers.changed.connect(self._show_header)  # the default's name or model
        self.empty_hint.promptChosen.connect(self._fill_prompt)
        self.sidebar.actionRequested.connect(self._on_list_action)
        self.side.newRequested.connect(lambda: self.registry.trigger("new_conversation"))
        self.side.toggleRequested.connect(lambda: self.registry.trigger("toggle_sidebar"))
        self.header.pickRequested.connect(lambda: self.registry.trigger("choose_model"))
        self.header.actionRequested.connect(self.registry.trigger)
        service.toolApproval.connect(self._on_tool_approval)
        service.toolApprovalDone.connect(self._on_tool_answered)
        service.toolServerProblem.connect(lambda text: self.statusBar().showMessage(
            fill(self.tr("A tool server is left out of this reply: %1"), text), 20000))
        self.tool_approval.answered.connect(self.answer_tool)

    def attach_files(self) -> None:
        self.attaching.pick()

    def _attach_notice(self, text: str) -> None:
        """A note in the status line ("Attaching …", a warning); "" clears it."""
        if text:
            self.statusBar().showMessage(text, 15000)
        else:
            self.statusBar().clearMessage()

    def _files_target(self, create: bool) -> int | None:
        """The conversation attachments go to: the one on show, or (`create`) a new one
        for the first message."""
        if self.current_id is None and create:
            conversation = self.service.new_conversation()
            if conversation is None:
                return None  # the banner says why
            self.current_id = conversation.id
            self._select_current()
            self._show_header()
        return self.current_id

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.attaching.attach_paths(paths)

    def _refused(self, conversation_id: int, text: str) -> bool:
        """Say so, and keep the text in the composer, if the provider would refuse it."""
        problem = self.service.input_problem(conversation_id, text)
        if problem is None:
            return False
        from opchat_gui.ui.transcript.error_text import failure_sentence  # not in the frame

        shown = failure_sentence(problem)
        self.show_problem(shown)
        self.statusBar().showMessage(shown, 15000)
        return True

    def _on_submit(self, text: str) -> None:
        if self.editing_id is not None and self.current_id is not None:
            if self._refused(self.current_id, text):
                return
            if self.service.edit_and_resend(self.current_id, self.editing_id, text):
                self._cancel_edit()
                self.composer.clear()
                self.problem.setVisible(False)
            return
        # What the send changes in the list (a new conversation's row too) shows after
        # the request has left, or at once when nothing is sent.
        self._list_later.start()
        if self.current_id is None:
            conversation = self.service.new_conversation()
            if conversation is None:
                self._list_now()
                return  # the banner says why; the text stays in the composer
            self.current_id = conversation.id
        if self._refused(self.current_id, text):
            self._list_now()
            return
        if self.service.send(self.current_id, text):
            self.composer.clear()
            self.drafts.sent(self.current_id)
            self.problem.setVisible(False)
        else:
            self._list_now()

    def _list_now(self) -> None:
        if self._list_later.isActive():
            self._list_later.stop()
            self._refresh_list()

    def _on_list_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        conversation_id = current.data(ID_ROLE)
        if isinstance(conversation_id, int) and conversation_id != self.current_id:
            self.open_conversation(conversation_id)

    def _on_list_action(self, action: str, conversation_id: int) -> None:
        """A row's button: the same command its key runs, on that conversation."""
        if conversation_id != self.current_id:
            self.open_conversation(conversation_id)
        self.registry.trigger(action)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.side.fit(self.width())

    def _on_conversations_changed(self) -> None:
        if not self._list_later.isActive():  # else a send's: shown once it has left
            self._refresh_list()

    def _refresh_list(self) -> None:
        self.model.refresh()
        self._select_current()
        self._show_header()

    def _on_message_added(self, message: Message) -> None:
        if message.conversation_id == self.current_id:
            self.transcript.add_message(message)
            self.empty_hint.hide()

    def _on_message_changed(self, message: Message) -> None:
        if message.conversation_id == self.current_id:
            self.transcript.update_message(message)

    def _on_chunk(self, conversation_id: int, message_id: int, text: str) -> None:
        if conversation_id == self.current_id:
            self.transcript.append_chunk(message_id, text)

    def _on_reasoning(self, conversation_id: int, message_id: int, text: str) -> None:
        if conversation_id == self.current_id:
            self.transcript.append_reasoning(message_id, text)

    def _on_thinking_moved(self, conversation_id: int, message_id: int,
                           seconds: float) -> None:
        if conversation_id == self.current_id:
            self.transcript.restream(message_id, seconds)

    def _on_streaming_changed(self, _conversation_id: int, streaming: bool) -> None:
        if self._list_later.isActive():
            if streaming:
                return  # a send's: the list shows it once the request has left
            self._list_later.stop()  # it ended already (a quick failure): show it all now
            self._refresh_list()
            return
        self.model.refresh()
        self._select_current()

    def _on_context_changed(self, conversation_id: int) -> None:
        if conversation_id == self.current_id:
            self._show_context()

    def _show_context(self) -> None:
        """The status line's ≈ tokens and the transcript's marker, for the next request."""
        draft = "" if self.editing_id is not None else self.composer.toPlainText()
        estimate = (None if self.current_id is None
                    else self.service.context.estimate(self.current_id, draft))
        self.context_status.show_estimate(estimate)
        first = estimate.first_sent if estimate is not None else None
        self.transcript.context_marker.show(
            first, marker_text(estimate) if estimate is not None and first else "")

    def _on_setting_changed(self, key: str, value: object) -> None:
        if key in ("context_trim", "context_last_messages"):
            self._show_context()
        elif key == "theme":
            self.themes.set_mode(str(value))
        elif key in ("transcript_font_family", "transcript_font_size"):
            self.transcript.setFont(self._font("transcript"))
        elif key in ("composer_font_family", "composer_font_size"):
            self.composer.setFont(self._font("composer"))
        elif key == "send_key":
            self.composer.set_send_key(str(value))
        elif key == "follow_stream":
            self.transcript.follow_stream = bool(value)

    def _font(self, widget: str) -> QFont:
        font = QFont(self.font())
        family = self.settings[f"{widget}_font_family"]
        if family:
            font.setFamily(family)
        font.setPointSize(self.settings[f"{widget}_font_size"])
        return font

    def _on_theme_changed(self, theme: Theme) -> None:
        self.transcript.set_theme(theme)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)

    def _select_current(self) -> None:
        self._syncing = True
        try:
            self.sidebar.select_id(self.current_id)
        finally:
            self._syncing = False

    def _show_header(self) -> None:
        conversation = (None if self.current_id is None
                        else self.service.conversation(self.current_id))
        self.stream_status.set_current(self.current_id)
        self._show_context()
        if conversation is None:
            default = (None if self.providers is None
                       else self.providers.entry(self.providers.default_id()))
            target = default.label() if default is not None else ""
            if self.welcome is not None and self.welcome.isVisibleTo(self):
                target = ""  # not chosen yet: the pane offers the choices
            self.header.show_conversation(self.tr("New conversation"), target,
                                          has_conversation=False)
            self._update_empty(target)
            return
        title = conversation.title or self.tr("New conversation")
        if conversation.system_prompt.strip():
            title += self.tr("  ·  system prompt set")
        # Overrides a provider takes none of (an AI Engine site) change nothing: not said.
        if conversation.generation and (self.providers is None
                                        or self.providers.generation_for(conversation)[0]):
            title += self.tr("  ·  own generation settings")
        target = self.service.target_label(conversation)
        if self.service.tools_note(conversation.id) == "site":
            target += self.tr("  ·  no MCP tools (the site runs its own)")
        elif self.service.tools_note(conversation.id) == "refused":
            target += self.tr("  ·  no tools (not supported here)")
        self.header.show_conversation(title, target, has_conversation=True)
        self._update_empty(target)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.complete:  # the frame of a start not done yet: nothing to quit from
            event.ignore()
            return
        from opchat_gui.ui.dialogs.data_menu import confirm_quit_unsaved

        self.drafts.save()
        pending = self.service.pending_writes()
        if pending and not confirm_quit_unsaved(self, pending):
            event.ignore()  # the replies stay in memory and keep trying to save
            return
        event.accept()
        self._context_later.stop()
        self._list_later.stop()
        self.closed.emit()

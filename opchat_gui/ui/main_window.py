"""The main window: conversation list on the left, transcript over composer on the right."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.chat import ChatService
from opchat_gui.store import Message
from opchat_gui.ui import keymap
from opchat_gui.ui.composer import Composer
from opchat_gui.ui.conversation_list import ConversationList, ConversationModel
from opchat_gui.ui.transcript import Transcript

APP_TITLE = "opchat-gui"


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, service: ChatService, *, demo_note: str = "") -> None:
        super().__init__()
        self.service = service
        self.current_id: int | None = None
        self._syncing = False
        self.setWindowTitle(APP_TITLE + (self.tr(" — demo") if demo_note else ""))
        self.resize(1100, 720)

        self.model = ConversationModel(service.conversations, service.is_streaming)
        self.sidebar = ConversationList(self.model)
        self.banner = QLabel(demo_note)
        self.banner.setObjectName("demoBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(bool(demo_note))
        self.banner.setStyleSheet("QLabel#demoBanner { background: #fef3c7; color: #78350f;"
                                  " padding: 6px 10px; border-radius: 4px; }")
        self.header = QLabel()
        self.header.setObjectName("conversationHeader")
        self.header.setStyleSheet("font-weight: 600; padding: 4px 2px;")
        self.transcript = Transcript()
        self.composer = Composer()
        self.problem = QLabel()
        self.problem.setObjectName("problemBanner")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        self.problem.setStyleSheet("QLabel#problemBanner { background: #fee2e2; color: #7f1d1d;"
                                   " padding: 6px 10px; border-radius: 4px; }")

        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(8, 8, 8, 8)
        for widget in (self.banner, self.header, self.transcript, self.problem, self.composer):
            column.addWidget(widget)
        column.setStretch(2, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(pane)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 840])
        self.setCentralWidget(splitter)
        self.setTabOrder(self.composer, self.transcript)
        self.setTabOrder(self.transcript, self.sidebar)

        self.actions_by_id = self._make_actions()
        self._connect_signals()
        self.model.refresh()
        self._show_header()
        self.composer.take_focus()

    # Commands (each bound in keymap.KEYMAP)

    def new_conversation(self) -> None:
        self.open_conversation(None)

    def open_conversation(self, conversation_id: int | None) -> None:
        if conversation_id is not None and self.service.conversation(conversation_id) is None:
            conversation_id = None
        self.current_id = conversation_id
        messages = [] if conversation_id is None else self.service.messages(conversation_id)
        self.transcript.show_messages(messages)
        self._select_current()
        self._show_header()
        self.composer.take_focus()

    def step_conversation(self, delta: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        row = -1 if self.current_id is None else self.model.row_of(self.current_id)
        target = max(0, min(count - 1, row + delta)) if row >= 0 else (0 if delta > 0 else -1)
        target_id = self.model.id_at(target)
        if target_id is not None and target_id != self.current_id:
            self.open_conversation(target_id)

    def stop_reply(self) -> None:
        if self.current_id is not None:
            self.service.stop(self.current_id)

    def retry_reply(self) -> None:
        if self.current_id is not None:
            self.service.retry(self.current_id)

    # Wiring

    def _make_actions(self) -> dict[str, QAction]:
        handlers: dict[str, Callable[[], object]] = {
            "stop": self.stop_reply,
            "retry": self.retry_reply,
            "new_conversation": self.new_conversation,
            "previous_conversation": lambda: self.step_conversation(-1),
            "next_conversation": lambda: self.step_conversation(1),
            "focus_composer": self.composer.take_focus,
            "quit": self.close,
        }
        actions: dict[str, QAction] = {}
        for binding in keymap.KEYMAP:
            if binding.scope != "window":
                continue
            action = QAction(self.tr(binding.label), self)
            action.setObjectName(binding.action)
            action.setShortcuts(keymap.sequences(binding.action))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(handlers[binding.action])
            self.addAction(action)
            actions[binding.action] = action
        return actions

    def _connect_signals(self) -> None:
        service = self.service
        service.conversationsChanged.connect(self._on_conversations_changed)
        service.messageAdded.connect(self._on_message_added)
        service.messageChanged.connect(self._on_message_changed)
        service.chunk.connect(self._on_chunk)
        service.streamingChanged.connect(self._on_streaming_changed)
        service.storageFailed.connect(self._show_problem)
        self.composer.submitted.connect(self._on_submit)
        self.transcript.retryRequested.connect(self.retry_reply)
        self.sidebar.selectionModel().currentChanged.connect(self._on_list_current)

    def _on_submit(self, text: str) -> None:
        if self.current_id is None:
            self.current_id = self.service.new_conversation().id
            self._select_current()
        if self.service.send(self.current_id, text):
            self.composer.clear()
            self.problem.setVisible(False)

    def _on_list_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        conversation_id = self.model.id_at(current.row())
        if conversation_id != self.current_id:
            self.open_conversation(conversation_id)

    def _on_conversations_changed(self) -> None:
        self.model.refresh()
        self._select_current()
        self._show_header()

    def _on_message_added(self, message: Message) -> None:
        if message.conversation_id == self.current_id:
            self.transcript.add_message(message)

    def _on_message_changed(self, message: Message) -> None:
        if message.conversation_id == self.current_id:
            self.transcript.finish_message(message)

    def _on_chunk(self, conversation_id: int, message_id: int, text: str) -> None:
        if conversation_id == self.current_id:
            self.transcript.append_chunk(message_id, text)

    def _on_streaming_changed(self, conversation_id: int, streaming: bool) -> None:
        self.model.refresh()
        self._select_current()
        if conversation_id == self.current_id:
            self.statusBar().showMessage(
                self.tr("Streaming… press Esc to stop.") if streaming else "", 0)

    def _show_problem(self, text: str) -> None:
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
        if conversation is None:
            self.header.setText(self.tr("New conversation"))
            return
        title = conversation.title or self.tr("New conversation")
        label = self.service.target_label(conversation)
        self.header.setText(f"{title}  ·  {label}" if label else title)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.closed.emit()

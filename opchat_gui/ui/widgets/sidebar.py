"""The left column: New chat, a filter box and the conversation list.

Below COLLAPSE_WIDTH of window width the column leaves the layout; Ctrl+B then shows it
floating over the transcript, and choosing a conversation (or Esc) puts it away.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QGraphicsDropShadowEffect,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from opchat_gui.ui.icons import ThemedIcons
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.theme import Theme, ThemeManager
from opchat_gui.ui.widgets.conversation_list import ConversationList, ConversationModel

COLLAPSE_WIDTH = 700  # window width below which the list only shows as an overlay
WIDTH = 260


class Sidebar(QFrame):
    newRequested = Signal()
    toggleRequested = Signal()  # the header's list button, shown while the list is collapsed

    def __init__(self, model: ConversationModel, themes: ThemeManager,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setFixedWidth(WIDTH)
        self.icons = ThemedIcons(themes, self)
        self.new_button = QToolButton()
        self.new_button.setObjectName("newChatButton")
        self.new_button.setText(self.tr("New chat"))
        self.new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+N is the key path
        self.new_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.icons.bind(self.new_button, "plus")
        self.new_button.clicked.connect(self.newRequested)
        # Lives in the window's header: the mouse's way to the collapsed list.
        self.reveal_button = QToolButton()
        self.reveal_button.setObjectName("showListButton")
        self.reveal_button.setAutoRaise(True)
        self.reveal_button.setAccessibleName(self.tr("Show the conversation list"))
        self.reveal_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.icons.bind(self.reveal_button, "panel-left")
        self.reveal_button.clicked.connect(self.toggleRequested)
        self.reveal_button.hide()
        self.show_keys()
        self.filter = QLineEdit()
        self.filter.setObjectName("conversationFilter")
        self.filter.setAccessibleName(self.tr("Filter conversations"))
        self.filter.setPlaceholderText(self.tr("Filter by title"))
        self.filter.setClearButtonEnabled(True)
        self.filter.addAction(self.icons.icon("search", "muted"),
                              QLineEdit.ActionPosition.LeadingPosition)
        self.filter.installEventFilter(self)
        self.list = ConversationList(model)
        self.list.installEventFilter(self)
        self.filter.textChanged.connect(self.list.grouped.set_filter)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 4, 8)
        column.setSpacing(6)
        column.addWidget(self.new_button)
        column.addWidget(self.filter)
        column.addWidget(self.list, 1)
        self._layout: QBoxLayout | None = None
        self.narrow = False
        self.floating = False
        self.list.clicked.connect(lambda _index: self._chosen())
        self.list.activated.connect(lambda _index: self._chosen())
        themes.changed.connect(self._on_theme_changed)
        self._on_theme_changed(themes.theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def show_keys(self) -> None:
        """The buttons' tooltips name their keys as bound now (again after a rebinding)."""
        self.new_button.setToolTip(keymap.with_hint(self.tr("Start a new conversation"),
                                                    "new_conversation"))
        self.reveal_button.setToolTip(keymap.with_hint(self.tr("Show the conversation list"),
                                                       "toggle_sidebar"))

    def dock_in(self, layout: QBoxLayout) -> None:
        layout.insertWidget(0, self)
        self._layout = layout

    def fit(self, window_width: int) -> None:
        """Collapse below COLLAPSE_WIDTH, come back above it."""
        narrow = window_width < COLLAPSE_WIDTH
        if narrow == self.narrow:
            return
        self.narrow = narrow
        self.reveal_button.setVisible(narrow)
        self.put_away()
        if narrow:
            if self._layout is not None:
                self._layout.removeWidget(self)
            self.hide()
        else:
            if self._layout is not None:
                self._layout.insertWidget(0, self)
            self.show()

    def toggle(self) -> bool:
        """Ctrl+B: hide or show; when narrow, float over the window. True when now shown."""
        if not self.narrow:
            self.setVisible(not self.isVisible())
            return self.isVisible()
        if self.floating:
            self.put_away()
            return False
        self.floating = True
        shadow = QGraphicsDropShadowEffect(self)  # lifts the overlay off the transcript
        shadow.setBlurRadius(24)
        shadow.setOffset(4, 0)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.setGraphicsEffect(shadow)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(0, 0, WIDTH, parent.height())
        self.show()
        self.raise_()
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)  # type to filter, Down to pick
        return True

    def put_away(self) -> None:
        if self.floating:
            self.floating = False
            self.setGraphicsEffect(None)  # type: ignore[arg-type]  # docked: no shadow
            self.hide()

    def _chosen(self) -> None:
        if self.floating:
            self.put_away()

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The overlay goes once the focus leaves it (a conversation opened, a click away)."""
        if self.floating and (new is None or not self.isAncestorOf(new)):
            self.put_away()

    def _on_theme_changed(self, theme: Theme) -> None:
        self.list.set_theme(theme)
        self.filter.actions()[0].setIcon(self.icons.icon("search", "muted"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
                event, QKeyEvent):
            key = event.key()
            escape = (key == Qt.Key.Key_Escape
                      and event.modifiers() == Qt.KeyboardModifier.NoModifier)
            if watched is self.filter and escape and self.filter.text():
                event.accept()  # Esc clears the filter before it stops a reply
                if kind == QEvent.Type.KeyPress:
                    self.filter.clear()
                return True
            if escape and self.floating:
                event.accept()
                if kind == QEvent.Type.KeyPress:
                    self.put_away()
                return True
            if (watched is self.filter and kind == QEvent.Type.KeyPress
                    and key == Qt.Key.Key_Down):
                self.list.enter_from_filter()
                return True
            if (watched is self.list and kind == QEvent.Type.KeyPress and self.floating
                    and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
                self.put_away()
                return True
        return super().eventFilter(watched, event)

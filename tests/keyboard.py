"""Helpers for tests that drive the window with keys only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from opchat_gui.store import MessageState


def focused(window: QWidget) -> QWidget:
    widget = QApplication.focusWidget()
    return widget if widget is not None and widget.window() is window else window


def press(window: QWidget, key: str) -> None:
    """Press one key sequence (portable text, as in the key map) where the focus is."""
    combination = QKeySequence(key)[0]
    QTest.keyClick(focused(window), combination.key(), combination.keyboardModifiers())


def type_text(window: QWidget, text: str) -> None:
    """Type like a keyboard would; QTest.keyClicks aborts on non-ASCII, so those characters
    go through QTest.sendKeyEvent with their text, as a Cyrillic layout delivers them."""
    for char in text:
        target = focused(window)
        if char.isascii():
            QTest.keyClicks(target, char)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, target, Qt.Key.Key_unknown, char,
                               Qt.KeyboardModifier.NoModifier)


def seed(session, conversations: list[tuple[str, list[tuple[str, str]]]]) -> list[int]:
    """Write conversations straight to the real history file; ids in creation order."""
    history = session.history
    ids = []
    for title, messages in conversations:
        conversation = history.create_conversation(title)
        for role, content in messages:
            history.add_message(conversation.id, role, content, MessageState.DONE)
        ids.append(conversation.id)
    session.service.conversationsChanged.emit()
    return ids

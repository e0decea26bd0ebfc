"""Input held while the window is shown but not yet complete (start-up's first frame).

The window paints its list, header and composer before the rest of the app is imported
(app/launch.py). Keys typed meanwhile must not reach the half-built window (letters into
the list's keyboard search, Enter opening a conversation), and must not be lost either:
they are kept, in order, and given to the focused widget once the window is complete.
Given so (not spontaneous), a key press that is a shortcut (Ctrl+K) runs it, and the
keys after it go where it led (the switcher's filter). Mouse clicks and wheel turns in
that time are dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

KEPT = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.InputMethod})
# A shortcut must not fire meanwhile either: the key press it comes from is kept.
DROPPED = frozenset({QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut,
                     QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                     QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
                     QEvent.Type.ContextMenu})


class InputHold(QObject):
    """An application-wide event filter from `start()` until `release(target)`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kept: list[QKeyEvent | QInputMethodEvent] = []
        self.holding = False

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not self.holding:
            app.installEventFilter(self)
            self.holding = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in KEPT:
            if isinstance(event, QKeyEvent):
                self.kept.append(_key_copy(event))
            elif isinstance(event, QInputMethodEvent):
                self.kept.append(_input_method_copy(event))
            return True
        return kind in DROPPED

    def release(self, target: QWidget | None) -> int:
        """Stop holding and give what was kept, in order, to the focused widget or else
        `target` (None: drop it all, the start failed); how many events."""
        app = QCoreApplication.instance()
        if self.holding and app is not None:
            app.removeEventFilter(self)
        self.holding = False
        kept, self.kept = self.kept, []
        if target is None:
            return 0
        for event in kept:  # focus may move on the way: Ctrl+K opens the switcher
            QCoreApplication.sendEvent(QApplication.focusWidget() or target, event)
        return len(kept)


def _key_copy(event: QKeyEvent) -> QKeyEvent:
    """The event's own object is Qt's and gone after the filter returns."""
    return QKeyEvent(event.type(), event.key(), event.modifiers(), event.nativeScanCode(),
                     event.nativeVirtualKey(), event.nativeModifiers(), event.text(),
                     event.isAutoRepeat(), event.count())


def _input_method_copy(event: QInputMethodEvent) -> QInputMethodEvent:
    copy = QInputMethodEvent(event.preeditString(), event.attributes())
    copy.setCommitString(event.commitString(), event.replacementStart(),
                         event.replacementLength())
    return copy

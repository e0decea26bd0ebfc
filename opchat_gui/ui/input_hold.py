"""Input held while the window is shown but not yet complete (start-up's first frame).

The window paints its list, header and composer before the rest of the app is imported
(app/launch.py). Keys typed meanwhile must not reach the half-built window (letters into
the list's keyboard search, Enter opening a conversation), and must not be lost either:
they are kept, in order, and given to the focused widget once the window is complete.
Given so (not spontaneous), a key press that is a shortcut (Ctrl+K) runs it, and the
keys after it go where it led (the switcher's filter). Mouse clicks and wheel turns in
that time are dropped.

The filter sits on the window's QWindow, which the platform's keys, clicks and wheel
turns reach first, and on the widgets that can have the focus (input methods send their
text to the focused widget directly). Not on the application: a Python filter there is
called for every event of every object while the frame polishes, lays out and paints,
and wrapping Qt's private objects for it made PySide build the enum classes of every
QObject subclass it knows; the first paint took 30-40 ms longer (B3).
"""

from __future__ import annotations

from collections.abc import Iterable

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
    """An event filter on a window and its focusable widgets from `start()` until
    `release(target)`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kept: list[QKeyEvent | QInputMethodEvent] = []
        self.holding = False
        self._watched: list[QObject] = []

    def start(self, window: QWidget, focusable: Iterable[QWidget]) -> None:
        """Hold what reaches `window` (shown: its QWindow exists) or `focusable`."""
        if self.holding:
            return
        handle = window.windowHandle()
        self._watched = [*([handle] if handle is not None else []), *focusable]
        for watched in self._watched:
            watched.installEventFilter(self)
        self.holding = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in KEPT:
            if isinstance(event, QKeyEvent):
                self.kept.append(_key_copy(event))
            elif isinstance(event, QInputMethodEvent):
                self.kept.append(_input_method_copy(event))
            return True
        if kind in DROPPED:
            event.accept()  # a ShortcutOverride accepted: no shortcut is looked for
            return True
        return False

    def release(self, target: QWidget | None) -> int:
        """Stop holding and give what was kept, in order, to the focused widget or else
        `target` (None: drop it all, the start failed); how many events."""
        for watched in self._watched:
            try:
                watched.removeEventFilter(self)
            except RuntimeError:  # already gone with its window: nothing to undo
                pass
        self._watched = []
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

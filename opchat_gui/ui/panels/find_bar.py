"""Find in the open conversation (Ctrl+F): every match tinted, the current one selected.

Enter / F3 go to the next match, Shift+Enter / Shift+F3 to the previous; the search
wraps around. Esc closes the bar and returns to the composer.

The transcript loads older messages lazily (ui/transcript/paging.py): a search in a
conversation not scrolled through first has them loaded, in background steps, under
"Searching older messages…"; the keys typed meanwhile go on working, and the search the
last of them asked for runs once everything is in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QTextEdit, QWidget

from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.transcript import jump

QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
MAX_TINTED = 2000  # matches tinted at once; the count stays exact
FIELD_MIN_CHARS = 24  # below this width (in average characters) the keys' hint gives way


class FindBar(QFrame):
    closed = Signal()

    def __init__(self, view: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setAccessibleName(self.tr("Find in conversation"))
        self.view = view
        # Matches inside objects of the document (the transcript's wide tables: their text
        # is not the document's), and what to do when one becomes the current match.
        self.object_matches: Callable[[str], list[QTextCursor]] = lambda _needle: []
        self.show_object_match: Callable[[QTextCursor, str], None] = lambda _c, _n: None
        # Whether the whole conversation is in the view, and what brings it in, calling
        # back once it is (in background steps): the transcript loads lazily.
        self.all_loaded: Callable[[], bool] = lambda: True
        self.load_all_then: Callable[[Callable[[], None]], None] = lambda then: then()
        # Finds asked for while older messages load, replayed once they are in: from the
        # last one that searched anew (a key typed in the field) on.
        self._waiting: list[tuple[bool, bool, int | None]] = []
        self.field = QLineEdit()
        self.field.setObjectName("findField")
        self.field.setAccessibleName(self.tr("Find text"))
        self.field.setPlaceholderText(self.tr("Find in this conversation"))
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.field.textChanged.connect(lambda _text: self.find(forward=True, restart=True))
        self.count = QLabel()
        self.count.setObjectName("findCount")
        self.count.setAccessibleName(self.tr("Matches"))
        # The keys, named when the bar opens (they can be rebound); while older messages
        # load, "Searching older messages…" in their place.
        self.hint = QLabel()
        self._keys_hint = ""
        self.hint.setObjectName("settingHint")  # the theme's muted text
        # The hint never widens the window: it steps aside when the bar is too narrow.
        self.hint.setMinimumWidth(1)  # (a label's minimum is otherwise its whole text)
        self.field.setMinimumWidth(self.field.fontMetrics().averageCharWidth()
                                   * FIELD_MIN_CHARS)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        row.addWidget(self.hint)
        self.setFocusProxy(self.field)
        self.matches: list[QTextCursor] = []
        self.current = -1
        self.hide()

    def open(self, text: str | None = None) -> None:
        self._keys_hint = (keymap.hint_line(
            (self.tr("%1 next"), ("find_bar_next", "find_next")),
            (self.tr("%1 previous"), ("find_bar_previous", "find_previous")),
            (self.tr("%1 closes"), ("stop",))))
        self._reserve_count()
        self.show()
        self._fit_hint()
        if text is not None and text != self.field.text():
            self.field.setText(text)
        elif not text:
            self.find(forward=True, restart=True)
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _reserve_count(self) -> None:
        """The count keeps the width of its widest text, so the field does not jump
        while typing ("No matches", then "1 of 487")."""
        metrics = self.count.fontMetrics()
        texts = (self.tr("No matches"), fill(self.tr("%1 of %2"), 88888, 88888))
        self.count.setFixedWidth(max(metrics.horizontalAdvance(t) for t in texts) + 2)

    def _fit_hint(self) -> None:
        """The hint (the keys, or the wait for older messages) keeps one width whatever it
        says, so the field does not jump; it shows only what fits whole beside the field
        and the count, and never widens the window (the field's maximum, not a minimum,
        holds its place)."""
        row = self.layout()
        spacing = row.spacing() if row is not None else 0
        metrics = self.hint.fontMetrics()
        wait = self.tr("Searching older messages…")
        keys_width = metrics.horizontalAdvance(self._keys_hint) + 2
        wait_width = metrics.horizontalAdvance(wait) + 2
        room = (self.contentsRect().width() - self.field.minimumWidth() - self.count.width()
                - 2 * spacing)
        if room >= max(keys_width, wait_width):
            reserve, keys = max(keys_width, wait_width), self._keys_hint
        elif room >= wait_width:
            reserve, keys = wait_width, ""
        else:
            reserve, keys = 0, ""
        text = wait if self._waiting and reserve else keys
        if self.hint.text() != text:
            self.hint.setText(text)
        self.hint.setVisible(reserve > 0)
        self.field.setMaximumWidth(
            max(self.field.minimumWidth(),
                self.contentsRect().width() - self.count.width() - reserve - 2 * spacing)
            if reserve else QWIDGETSIZE_MAX)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_hint()

    def close_bar(self) -> None:
        self._waiting = []  # (what loads goes on: a find that comes later needs it too)
        if self.isVisible():
            self.hide()
            self.view.setExtraSelections([])
            self.closed.emit()

    def conversation_changed(self) -> None:
        """Another conversation is on show: a find waiting for the last one's older
        messages is dropped with them (they will never come)."""
        if self._waiting:
            self._waiting = []
            self.count.setText("")
            self._fit_hint()

    @property
    def searching(self) -> bool:
        """A find waits for older messages to load."""
        return bool(self._waiting)

    def find(self, *, forward: bool = True, restart: bool = False,
             start: int | None = None) -> bool:
        """Select the next (or previous) match; True when there is one. While older
        messages load first, False: the result comes once they are in."""
        if not self.field.text():
            if self._waiting:
                self._waiting = []
                self._fit_hint()
        elif self._waiting or not self.all_loaded():
            self._wait(forward, restart, start)
            return False
        return self._find_now(forward, restart, start)

    def _find_now(self, forward: bool, restart: bool, start: int | None) -> bool:
        needle = self.field.text()
        if restart or start is not None:
            self.matches = self._all(needle)
            self.current = -1
            self._tint()
        if not self.matches:
            self.count.setText(self.tr("No matches") if needle else "")
            # The last search's match stays selected otherwise, and reads as a match.
            cursor = self.view.textCursor()
            if cursor.hasSelection():
                cursor.clearSelection()
                self.view.setTextCursor(cursor)
            return False
        if start is not None:
            after = [i for i, c in enumerate(self.matches) if c.selectionStart() >= start]
            self.current = after[0] if after else 0
        elif self.current < 0:
            self.current = 0 if forward else len(self.matches) - 1
        else:
            step = 1 if forward else -1
            self.current = (self.current + step) % len(self.matches)
        cursor = self.matches[self.current]
        self.view.setTextCursor(cursor)
        self.view.ensureCursorVisible()
        bring_into_view(self.view, cursor)
        self.show_object_match(cursor, needle)
        self.count.setText(fill(self.tr("%1 of %2"), self.current + 1, len(self.matches)))
        return True

    def _wait(self, forward: bool, restart: bool, start: int | None) -> None:
        """Hold this find until the whole conversation is in (a new search drops the
        steps asked for before it: the last query wins)."""
        if restart or start is not None or not self._waiting:
            # (the first find held searches anew: the matches before it are from a
            # document that has changed since, perhaps another conversation's)
            restart = restart or start is None
            self._waiting = []
            self.matches, self.current = [], -1
            self.view.setExtraSelections([])  # the last search's tints are not this one's
        self._waiting.append((forward, restart, start))
        self.count.setText("")
        self._fit_hint()
        self.load_all_then(self._loaded)  # (called back at once when all is in already)

    def _loaded(self) -> None:
        """Everything is in: the finds asked for meanwhile run, in order."""
        waiting, self._waiting = self._waiting, []
        self._fit_hint()
        if not self.isVisible():
            return
        for forward, restart, start in waiting:
            self._find_now(forward, restart, start)

    def _all(self, needle: str) -> list[QTextCursor]:
        if not needle:
            return []
        document = self.view.document()
        found: list[QTextCursor] = []
        cursor = QTextCursor(document)
        while True:
            cursor = document.find(needle, cursor, QTextDocument.FindFlag(0))
            if cursor.isNull():
                break
            found.append(QTextCursor(cursor))
        inside = self.object_matches(needle)
        if inside:
            found = sorted(found + inside, key=lambda match: match.selectionStart())
        return found

    def _tint(self) -> None:
        tint = QTextCharFormat()
        tint.setBackground(QColor("#fde68a"))
        selections = []
        for cursor in self.matches[:MAX_TINTED]:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor  # type: ignore[attr-defined]
            selection.format = tint  # type: ignore[attr-defined]
            selections.append(selection)
        self.view.setExtraSelections(selections)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if keymap.matches("find_bar_previous", event):
                self.find(forward=False)
                return True
            if keymap.matches("find_bar_next", event):
                self.find(forward=True)
                return True
        return super().eventFilter(watched, event)


def bring_into_view(view: QTextEdit, cursor: QTextCursor) -> None:
    """Centre the match when it sits near an edge: ensureCursorVisible leaves it on the
    very edge, the bottom one under the jump-to-latest button (issue 16)."""
    rect = view.cursorRect(cursor)
    height = view.viewport().height()
    margin = min(max(3 * view.fontMetrics().lineSpacing(), jump.SIZE + jump.GAP + 8),
                 height // 3)
    if rect.top() < margin or rect.bottom() > height - margin:
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + rect.center().y() - height // 2)

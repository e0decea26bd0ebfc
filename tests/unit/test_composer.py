"""The composer grows with what is typed, up to a limit, then scrolls."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.ui.widgets.composer import MAX_LINES, Composer


def type_lines(composer: Composer, count: int) -> None:
    for index in range(count):
        if index:
            QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        QTest.keyClicks(composer, f"line {index}")


def test_composer_grows_then_stops(qtbot):
    composer = Composer()
    qtbot.addWidget(composer)
    composer.resize(400, composer.height())
    composer.show()
    empty = composer.height()
    type_lines(composer, 4)
    four = composer.height()
    assert four > empty
    composer.clear()
    type_lines(composer, MAX_LINES)
    at_limit = composer.height()
    type_lines(composer, 10)
    assert composer.height() == at_limit > four
    composer.clear()
    assert composer.height() == empty

"""What the window looks like where a test can tell: find highlights, the list's rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.conftest import wait_until
from tests.keyboard import press, type_text


def test_a_search_without_a_match_clears_the_last_highlight(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    QTest.keyClicks(window.composer, "Colour me")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    press(window, "Ctrl+F")
    type_text(window, "Colour")
    assert window.transcript.textCursor().selectedText() == "Colour"
    assert window.transcript.extraSelections()
    type_text(window, "zzz")
    assert window.find_bar.count.text() == "No matches"
    assert not window.transcript.textCursor().hasSelection()
    assert not window.transcript.extraSelections()

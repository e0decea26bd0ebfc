"""Find puts its match well inside the transcript, never at an edge nor under the
jump-to-latest button (issue 16: it landed on the bottom edge, half under the button)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.conftest import wait_until
from tests.keyboard import press, seed, type_text

WORD = "zebrafindme"


def test_a_match_below_the_view_comes_up_clear_of_the_edge_and_the_button(open_app, server,
                                                                          run):
    session = open_app("--url", server.url)
    window = session.window
    window.resize(1000, 700)
    window.show()
    messages = [("user" if n % 2 else "assistant",
                 f"Message {n}.{' ' + WORD if n == 20 else ''}\n\nA second paragraph.")
                for n in range(1, 41)]
    (conversation,) = seed(session, [("Find", messages)])
    window.open_conversation(conversation)
    transcript = window.transcript
    run(wait_until(lambda: transcript.settled, what="the open to settle"))
    transcript.verticalScrollBar().setValue(0)  # read from the top: the match is below
    run(wait_until(lambda: transcript.jump.button is not None
                   and transcript.jump.button.isVisible(), what="the jump button"))
    press(window, "Ctrl+F")
    type_text(window, WORD)
    run(wait_until(lambda: window.find_bar.count.text() == "1 of 1", what="the match"))
    QApplication.processEvents()
    assert transcript.textCursor().selectedText() == WORD
    match = transcript.cursorRect(transcript.textCursor())
    line = transcript.fontMetrics().lineSpacing()
    height = transcript.viewport().height()
    assert 2 * line <= match.top() and match.bottom() <= height - 2 * line, (match, height)
    button = transcript.jump.button
    if button.isVisible():  # in the view's coordinates, not the viewport's
        on_view = match.translated(transcript.viewport().geometry().topLeft())
        assert not on_view.intersects(button.geometry())

"""The reading column stays put when the transcript's scroll bar first appears (issue 16):
it was centred on the viewport, which the bar narrows, so a reply growing past the
window's height shifted every line left by half the bar's width mid-stream."""

from __future__ import annotations

import pytest

from opchat_gui.core.messages import MessageState
from opchat_gui.ui import theme as themes
from tests.transcript_helpers import msg

WORDS = "A line of words that wraps across the reading column of the transcript. " * 3


def bar_shows(view) -> bool:
    return view.viewport().width() < view.contentsRect().width()


def first_line(view, text: str) -> tuple[float, float]:
    """The first line of the first block that begins with `text`: its left x in the
    viewport and its width."""
    block = view.document().find(text).block()
    rect = view.document().documentLayout().blockBoundingRect(block)
    line = block.layout().lineAt(0)
    return rect.left() + line.x() - view.horizontalScrollBar().value(), line.naturalTextWidth()


@pytest.mark.parametrize("styled", [None, "light", "dark"])
@pytest.mark.parametrize("width", [1000, 500])  # a centred column, and the narrow margins
def test_the_column_stays_put_when_the_scroll_bar_appears(qapp, qtbot, styled, width):
    from opchat_gui.ui.transcript.view import Transcript

    view = Transcript()
    if styled is not None:  # the app's flat 14 px bar (theme.py), or the style's own
        view.setStyleSheet(themes.THEMES[styled].stylesheet())
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    try:
        view.append_chunk(2, WORDS + "\n\n")
        assert not bar_shows(view)
        before = first_line(view, WORDS[:10])
        user = first_line(view, "go")
        for _ in range(12):
            view.append_chunk(2, WORDS + "\n\n")
        qtbot.waitUntil(lambda: bar_shows(view))
        assert first_line(view, WORDS[:10]) == before  # not moved, not wrapped again
        assert first_line(view, "go") == user  # nor the user's bubble's text
    finally:
        view.close()
        view.deleteLater()

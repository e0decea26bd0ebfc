"""A streaming reply's blocks stay where they are drawn (issue 16): a block still being
written sits where it will sit once finished, and the finished reply where it sits when
the conversation is opened again. Before, a finished block's spacer line stood between
its margin and the block above's, so each paragraph dropped 14 px as it finished."""

from __future__ import annotations

import pytest

from opchat_gui.core.messages import MessageState
from opchat_gui.render.colours import DARK, LIGHT
from tests.transcript_helpers import msg

# A paragraph after the header, after a paragraph, after a code block, after a list,
# after a heading and after a quote; a code block and a list after paragraphs.
REPLY = (
    "First paragraph of plain words right under the header.\n\n"
    "Second paragraph, after a paragraph, with **bold** words.\n\n"
    "```python\nprint('a code block after a paragraph')\n```\n\n"
    "Third paragraph, after a code block.\n\n"
    "- a list after a paragraph\n- its second point\n\n"
    "Fourth paragraph, after a list.\n\n"
    "## A heading\n\n"
    "Fifth paragraph, after the heading.\n\n"
    "> a quote\n\n"
    "Last paragraph, after a quote."
)


def line_tops(view) -> dict[str, float]:
    """The document y of each block's first line, by the block's first words."""
    document = view.document()
    layout = document.documentLayout()
    tops = {}
    block = document.begin()
    while block.isValid():
        words = block.text().replace("\u200b", "").strip()[:24]
        if words and block.layout().lineCount():
            tops[words] = layout.blockBoundingRect(block).top() + block.layout().lineAt(0).y()
        block = block.next()
    return tops


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_no_line_on_show_moves_as_the_reply_streams_and_ends(qapp, colours):
    from opchat_gui.ui.transcript.view import Transcript

    views = []
    for _ in range(2):
        view = Transcript()
        view.resize(700, 2000)  # all of it on show: no scroll bar comes and goes
        view.set_colours(colours)
        view.show()
        views.append(view)
    live, whole = views
    whole.show_messages([msg(1, "user", "go"), msg(2, "assistant", REPLY)])
    reopened = line_tops(whole)
    live.show_messages([msg(1, "user", "go")])
    try:
        for size in (1, 4, 9, 23):  # cuts inside words, markers and block ends
            live.add_message(msg(2, "assistant", "", MessageState.STREAMING))
            before = line_tops(live)
            for start in range(0, len(REPLY), size):
                live.append_chunk(2, REPLY[start:start + size])
                now = line_tops(live)
                moved = {words: (before[words], top) for words, top in now.items()
                         if words in before and before[words] != top}
                assert not moved, (size, REPLY[:start + size])
                before = now
            live.update_message(msg(2, "assistant", REPLY))
            ended = line_tops(live)  # (its footer's icons come in below)
            assert {words: ended[words] for words in before} == before  # nothing moves
            assert ended == reopened  # and it reads as it will when opened again
            assert any(words.startswith("Last paragraph") for words in before)
    finally:
        for view in views:
            view.close()
            view.deleteLater()

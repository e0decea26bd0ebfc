"""The open block of a streaming reply, when it is a plain paragraph, is written without
the Markdown renderer (tail.plain_paragraph, MessageWriter.paragraph): the document must
come out exactly as rendering it would have made it, at every cut point."""

from __future__ import annotations

import pytest

from opchat_gui.core.messages import MessageState
from opchat_gui.ui.transcript.tail import plain_paragraph
from tests.transcript_helpers import document_structure, msg

REPLY = (
    "A first paragraph of plain words, with commas; colons: and (brackets) that goes "
    "on\nover a second line and ends. Don't stop! Is it \"quoted\"? Well-known café über "
    "naïve words\n\n## A heading\n\nSome **bold words** and `code` and *emphasis split* "
    "here\n\n- one point\n- two **strong** points\n\n1. a number\n\n| Key | Value |\n"
    "|---|---|\n| a | 1 |\n\n```python\nfor index in range(3):\n    print(index)\n```\n\n"
    "Then plain words again with a hard  \nbreak and example.com and main.py and a_b\n\n"
    "12 monkeys start this one\n\n    indented code\n\nLast words of the reply"
)


@pytest.mark.parametrize(("pending", "shown"), [
    ("Hello world", "Hello world"),
    ("\n\nAfter a block", "After a block"),
    ("Hello  world\nnext line. ", "Hello world next line."),
    ("Héllo wörld (yes)! \"Quoted\" don't-stop", "Héllo wörld (yes)! \"Quoted\" don't-stop"),
])
def test_a_paragraph_of_plain_words_shows_its_words_collapsed(pending: str, shown: str):
    assert plain_paragraph(pending) == shown


@pytest.mark.parametrize("pending", [
    "", "Hello\n- a point", "- a point", "## heading", "1. one", "12 monkeys", "Some **bold",
    "a `code", "see example.com now", "main.py", "a_b", "a hard  \nbreak", "x\n  indented",
    "two\n\nparagraphs", "a [link", "a tab\there", "no\u00a0break", "$x$", "a & b", "a < b",
    "Setext\n---", "\n    indented code", " a leading space", "Setext\n===", "> quote", "a\\b",
])
def test_anything_markdown_may_shape_goes_to_the_renderer(pending: str):
    assert plain_paragraph(pending) is None


def structure(view) -> list[tuple[str, object, object, list[tuple[str, object]]]]:
    return document_structure(view.document())


def test_a_plain_open_paragraph_is_written_as_a_render_would_write_it(qapp, monkeypatch):
    from opchat_gui.ui.transcript import view as views
    from opchat_gui.ui.transcript.view import Transcript

    made = []
    for _ in range(2):  # plain paragraphs written directly, and every one rendered
        view = Transcript()
        view.resize(700, 500)
        view.show()
        view.show_messages([msg(1, "user", "go")])
        made.append(view)
    fast, slow = made
    real = views.plain_paragraph
    taken = 0

    def counted(pending: str) -> str | None:
        nonlocal taken
        shown = real(pending)
        taken += shown is not None
        return shown

    try:
        for size in (1, 2, 3, 5, 8, 13):  # every cut point, and chunks across markers
            for view in made:
                view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
            for start in range(0, len(REPLY), size):
                piece = REPLY[start:start + size]
                monkeypatch.setattr(views, "plain_paragraph", counted)
                fast.append_chunk(2, piece)
                monkeypatch.setattr(views, "plain_paragraph", lambda _pending: None)
                slow.append_chunk(2, piece)
                assert structure(fast) == structure(slow), REPLY[:start + size]
                assert fast.toHtml() == slow.toHtml()
            monkeypatch.setattr(views, "plain_paragraph", real)
            for view in made:  # the reply ends: both the same, no raw Markdown left
                view.update_message(msg(2, "assistant", REPLY))
            assert structure(fast) == structure(slow)
            text = fast.toPlainText()
            assert "**" not in text and "```" not in text and "Last words of the reply" in text
    finally:
        for view in made:
            view.close()
            view.deleteLater()
    assert taken > 10  # plain paragraphs did skip the renderer (words after them go
    # straight in: tail.appends_as_text)

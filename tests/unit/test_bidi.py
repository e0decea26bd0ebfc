"""Invisible bidi controls in model output show as markers, and each message keeps its own
text direction. A real offscreen Transcript and the real Markdown renderer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from opchat_gui.render.bidi import CONTROLS, marked_html, marked_plain
from opchat_gui.render.colours import LIGHT
from opchat_gui.render.markdown import render_markdown
from opchat_gui.store import MessageState
from opchat_gui.ui.transcript.view import Transcript
from tests.transcript_helpers import msg

OVERRIDE = "Pay \u202eexe.txt\u202c now"


@pytest.fixture
def view(qapp):
    transcript = Transcript()
    transcript.resize(700, 500)
    transcript.show()
    yield transcript
    transcript.close()
    transcript.deleteLater()


def blocks_of(view: Transcript) -> list[tuple[str, Qt.LayoutDirection]]:
    found = []
    block = view.document().begin()
    while block.isValid():
        if block.text().strip("\u200b"):
            found.append((block.text().strip(), block.textDirection()))
        block = block.next()
    return found


def test_every_control_becomes_a_marker():
    for control in CONTROLS:
        shown = marked_plain(f"a{control}b")
        assert control not in shown
        assert shown == f"a⟨U+{ord(control):04X}⟩b"
    assert marked_plain("plain") == "plain"


def test_markers_in_html_text_and_attributes():
    html = marked_html('<a title="x\u202ey">t\u2067u</a>', "#888888")
    assert not any(c in html for c in CONTROLS)
    assert 'title="x⟨U+202E⟩y"' in html  # no span inside a tag
    assert '<span style="color: #888888; font-size: small;">⟨U+2067⟩</span>' in html


def test_render_markdown_marks_controls_in_text_code_and_links():
    text = f"{OVERRIDE}\n\n`a\u202eb`\n\n```\nx\u2066y\n```\n\n[l\u200fk](https://e.org)\n"
    rendered = render_markdown(text, LIGHT)
    assert not any(c in rendered.html for c in CONTROLS)
    assert rendered.html.count("⟨U+") == 5


def test_override_in_a_reply_shows_markers_and_does_not_reverse_the_text(view):
    view.show_messages([msg(1, "assistant", OVERRIDE), msg(2, "assistant", "Next line")])
    text = view.toPlainText()
    assert "Pay ⟨U+202E⟩exe.txt⟨U+202C⟩ now" in text
    assert not any(c in text for c in CONTROLS)


def test_a_streaming_override_is_marked_before_the_block_ends(view):
    view.show_messages([msg(1, "assistant", "", MessageState.STREAMING)])
    view.append_chunk(1, "Pay \u202eexe")
    assert "Pay ⟨U+202E⟩exe" in view.toPlainText()


def test_each_message_keeps_its_own_direction(view):
    view.show_messages([msg(1, "assistant", "שלום, מה שלומך היום?"),
                        msg(2, "assistant", "Hello, how are you?"),
                        msg(3, "assistant", "مرحبا بك")])
    directions = {text: direction for text, direction in blocks_of(view)}
    assert directions["שלום, מה שלומך היום?"] == Qt.LayoutDirection.RightToLeft
    assert directions["Hello, how are you?"] == Qt.LayoutDirection.LeftToRight
    assert directions["مرحبا بك"] == Qt.LayoutDirection.RightToLeft

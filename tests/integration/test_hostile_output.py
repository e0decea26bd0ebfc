"""Hostile model output, end to end: the local server streams it back through the real
provider, ChatService and window; it shows as text, and nothing is fetched or run."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.render.bidi import CONTROLS
from opchat_gui.ui.transcript.view import Transcript
from tests.conftest import wait_until
from tests.transcript_helpers import image_names
from tests.unit.test_transcript_render import HOSTILE, anchors


def test_hostile_reply_is_text_and_fetches_nothing(open_app, server, run, monkeypatch):
    loads: list[str] = []
    original = Transcript.loadResource

    def spy(self, kind, url):
        loads.append(url.toString())
        return original(self, kind, url)

    monkeypatch.setattr(Transcript, "loadResource", spy)
    session = open_app("--url", server.play_url("echo", delay=0.001))
    window = session.window
    window.composer.setPlainText(HOSTILE)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    reply = session.service.messages(window.current_id)[-1]
    assert reply.content == HOSTILE  # the server really sent it back
    text = window.transcript.toPlainText()
    assert text.count("<script>alert('x')</script>") == 2  # the question and the reply
    assert text.count("<img src=http://127.0.0.1:9/tracker.png>") == 2
    hrefs = anchors(window.transcript)
    assert "http://127.0.0.1:9/pixel.png" in hrefs and "https://example.org" in hrefs
    assert not any(h.lower().startswith(("javascript", "data", "file")) for h in hrefs)
    # no image object but the app's own action icons (drawn, never fetched)
    assert all(name.startswith("opchat-icon:") for name in image_names(window.transcript))
    assert text.count("\ufffc") == len(image_names(window.transcript))
    assert [url for url in loads if not url.startswith("opchat-icon:")] == []
    assert len(server.requests) == 1  # nothing but the chat request reached the server


def test_bidi_override_in_a_reply_shows_markers_and_keeps_directions(open_app, server, run):
    """A reply with U+202E (the echo scenario sends it back) reverses nothing: each control
    shows as a marker, and a Hebrew message beside it keeps its own right-to-left block."""
    session = open_app("--url", server.play_url("echo", delay=0.001))
    window = session.window
    for text in ("Invoice \u202eexe.pdf\u202c and \u2067isolate\u2069 \u200f",
                 "שלום עולם"):
        window.composer.setPlainText(text)
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    replies = [m for m in session.service.messages(window.current_id) if m.role == "assistant"]
    assert "\u202e" in replies[0].content  # the server really sent it back
    shown = window.transcript.toPlainText()
    assert "Invoice ⟨U+202E⟩exe.pdf⟨U+202C⟩ and ⟨U+2067⟩isolate⟨U+2069⟩ ⟨U+200F⟩" in shown
    assert not any(c in shown for c in CONTROLS)
    directions = {}
    block = window.transcript.document().begin()
    while block.isValid():
        directions[block.text().strip()] = block.textDirection()
        block = block.next()
    assert directions["שלום עולם"] == Qt.LayoutDirection.RightToLeft
    assert directions[
        "Invoice ⟨U+202E⟩exe.pdf⟨U+202C⟩ and ⟨U+2067⟩isolate⟨U+2069⟩ ⟨U+200F⟩"
    ] == Qt.LayoutDirection.LeftToRight


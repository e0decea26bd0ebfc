"""A reply with LaTeX math, end to end: the local AI Engine server streams it word by
word (formulas arrive cut into pieces) through the real provider, ChatService and
window; the transcript ends up with an image where each formula was, and money as text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.demo.aiengine_server import MATH_REPLY
from opchat_gui.ui.transcript.math import READY
from tests.conftest import wait_until
from tests.unit.test_math import formula_image, formulas


def test_a_streamed_reply_with_math_ends_up_with_images(open_app, server, run):
    session = open_app("--url", server.play_url("math", delay=0.001))
    window = session.window
    window.composer.setPlainText("Show me some math")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    assert session.service.messages(window.current_id)[-1].content == MATH_REPLY
    transcript = window.transcript
    run(wait_until(lambda: not transcript.math.busy, timeout=60))
    shown = formulas(transcript)
    assert [state for state, _, _ in shown] == [READY] * 8
    sources = [source for _, _, source in shown]
    assert sources[0] == "$ax^2 + bx + c = 0$"
    assert "$$\nx = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}\n$$" in sources
    assert "\\(\\tfrac{n(n+1)}{2}\\)" in sources
    assert "\\[\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n\\]" in sources
    assert any("\\begin{pmatrix}" in source for source in sources)
    assert any("\\int_{-\\infty}^{\\infty}" in source for source in sources)
    for source in sources:
        assert not formula_image(transcript, source).isNull()
    assert "it costs $5 and $10." in transcript.toPlainText()

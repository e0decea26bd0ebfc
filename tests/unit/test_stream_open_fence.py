"""A fenced code block still streaming shows as a code block from the moment its fence
line is whole (tail.open_fence, MessageWriter.open_fence): the header with its language,
then its lines on the code background; the fence's backticks never show, not even a
closing fence cut between two chunks (issue 16)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from opchat_gui.core.messages import MessageState
from opchat_gui.render.colours import DARK, LIGHT
from opchat_gui.ui.transcript.tail import open_fence, without_fence_line
from tests.transcript_helpers import laid_out, msg

REPLY = (
    "Some words first.\n\n```python\nfor index in range(3):\n    print(index)  # ``\n"
    "``\n```\n\nBetween the blocks.\n```\nno language\n```\n\n~~~ rust extra\nfn main() {}\n"
    "   ~~~\n\n```js\nlet a = 1;\n````\n\nEnd of the reply."
)


@pytest.mark.parametrize(("pending", "expected"), [
    ("```python\n", ("python", 10, 10)),
    ("```python\nprint(1)\npri", ("python", 10, 22)),
    ("\n\n```py\nx\n`", ("py", 8, 10)),  # the last line may be the closing fence: it waits
    ("```py\nx\n  ``", ("py", 6, 8)),
    ("```py\nx\n``x", ("py", 6, 11)),  # it is not: it shows
    ("~~~ rust extra\nfn\n~~", ("rust", 15, 18)),
    ("```\ncode\n    ```", ("", 4, 16)),  # four spaces: no fence, code
    ("```\n", ("", 4, 4)),
])
def test_open_fence_gives_the_language_and_what_may_show(pending: str,
                                                         expected: tuple[str, int, int]):
    assert open_fence(pending) == expected


def fence_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.lstrip(" ").startswith(("```", "~~~"))]


def lines(view) -> list[str]:
    """The document's lines with text, as read (no spacers, no trailing spaces)."""
    text = view.toPlainText().replace("\u200b", "")
    return [line.rstrip() for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_no_update_shows_a_fence_line_and_open_code_looks_like_code(qapp, colours):
    from opchat_gui.ui.transcript.view import Transcript

    view = Transcript()
    view.resize(700, 500)
    view.show()
    view.set_colours(colours)
    view.show_messages([msg(1, "user", "go")])
    whole = Transcript()  # the same reply written at once, for the end result
    whole.resize(700, 500)
    whole.show()
    whole.set_colours(colours)
    whole.show_messages([msg(1, "user", "go"), msg(2, "assistant", REPLY)])
    seen_open = set()
    try:
        for size in (1, 2, 3, 5, 8, 13):  # every cut point, closing fences cut too
            view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
            for start in range(0, len(REPLY), size):
                view.append_chunk(2, REPLY[start:start + size])
                text = view.toPlainText()
                assert not fence_lines(text), REPLY[:start + size]
                if view._splitter.in_fence:
                    language = open_fence(view._splitter.pending)[0]
                    # (its spacer folded into it: text.drop_spacer)
                    header = view.document().findBlock(view._tail.position())
                    assert header.text().startswith((language or "text") + "\u00a0"), \
                        REPLY[:start + size]
                    last = view.document().lastBlock()
                    assert last.blockFormat().background().color() == QColor(colours.code_bg)
                    fmt = last.charFormat() if not last.text() else last.begin() \
                        .fragment().charFormat()
                    assert "monospace" in (fmt.fontFamilies() or [])
                    seen_open.add(language)
            view.update_message(msg(2, "assistant", REPLY))
            assert lines(view) == lines(whole)  # the reply ended: its finished look
    finally:
        for made in (view, whole):
            made.close()
            made.deleteLater()
    assert seen_open == {"python", "", "rust", "js"}


def test_the_copy_link_of_a_fence_still_streaming_copies_its_code_so_far(qapp):
    """The header's Copy shows from the fence's first line: it copies what the block shows
    (not the line that may still become the closing fence), then the finished block."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QGuiApplication

    from opchat_gui.render.links import COPY_CODE
    from opchat_gui.ui.transcript.view import Transcript

    view = Transcript()
    view.resize(700, 500)
    view.show()
    try:
        view.show_messages([msg(1, "user", "go")])
        view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
        view.append_chunk(2, "Here:\n\n```python\nprint(1)\nx = 2\n`")
        clipboard = QGuiApplication.clipboard()
        clipboard.setText("before")
        view.actions.on_anchor(QUrl(f"{COPY_CODE}2/0"))
        assert clipboard.text() == "print(1)\nx = 2"
        assert not view.actions.copy_code(2, 1)  # no such block: nothing copied
        assert not view.actions.copy_code(7, 0)  # not the streaming message
        view.append_chunk(2, "``\n\nDone.")
        view.update_message(msg(2, "assistant", "Here:\n\n```python\nprint(1)\nx = 2\n```"
                                "\n\nDone."))
        view.actions.on_anchor(QUrl(f"{COPY_CODE}2/0"))
        assert clipboard.text() == "print(1)\nx = 2\n"
    finally:
        view.close()
        view.deleteLater()


@pytest.mark.parametrize(("pending", "expected"), [
    ("```pyth", ""), ("Words.\n\n~~~ ru", "Words.\n\n"), ("Words.\n   ```", "Words.\n"),
    ("```py\n", "```py\n"),  # (whole: the splitter is in the fence)
    ("Words.\n\n``", "Words.\n\n``"), ("Words.\n\n    ```", "Words.\n\n    ```"),
    ("Text ```", "Text ```"),
])
def test_a_fence_line_still_being_written_does_not_show(pending: str, expected: str):
    assert without_fence_line(pending) == expected


def test_a_fence_line_still_being_written_leaves_what_its_render_left(qapp, monkeypatch):
    """Nothing is rendered for it (a Markdown render and an HTML insert on each update that
    ended there); the document, block by block, is what rendering it gave."""
    from opchat_gui.ui.transcript import view as view_module
    from opchat_gui.ui.transcript.view import Transcript
    from opchat_gui.ui.transcript.writer import MessageWriter

    renders: list[str] = []
    markdown = MessageWriter.markdown

    def counted(self, cursor, text, message_id, **options):
        if options.get("live") and text.strip():  # (blank: it returns at once)
            renders.append(text)
        return markdown(self, cursor, text, message_id, **options)

    monkeypatch.setattr(MessageWriter, "markdown", counted)
    chunks = ["Some words first.\n\n", "```py", "th", "on\nprint(1)\n", "```\n\n~~~ ru",
              "st\nfn\n~~~\n\nThe end."]
    seen = []
    for skip in (True, False):
        if not skip:
            monkeypatch.setattr(view_module, "without_fence_line", lambda pending: pending)
        view = Transcript()
        view.resize(700, 500)
        view.show()
        view.show_messages([msg(1, "user", "go")])
        view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
        steps = []
        for chunk in chunks:
            view.append_chunk(2, chunk)
            steps.append(laid_out(view))
        seen.append(steps)
        view.close()
        view.deleteLater()
        if skip:
            assert renders == []  # (the paragraph before the fence: written directly)
    assert renders == ["Some words first.\n\n```py", "Some words first.\n\n```pyth",
                       "\n~~~ ru"]  # what the other way rendered
    assert seen[0] == seen[1]

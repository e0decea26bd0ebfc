"""An update that finishes two code fences (a fast stream's frame often does) writes them
as a slower stream would, a run with one fence at a time (stream_blocks.one_fence_each):
without the HTML importer, and the document the same as the reply reopened."""

from __future__ import annotations

import pytest

from opchat_gui.core.messages import MessageState
from opchat_gui.render.stream_blocks import BlockSplitter, one_fence_each
from tests.transcript_helpers import laid_out, msg

UNIT = ("This paragraph is one of many, long enough to wrap across a line or two of the "
        "view.\n\n```python\nfor index in range(10):\n    print(index * index)\n```\n\n")
REPLY = UNIT * 6 + ("And a list:\n\n- one\n- two\n\n~~~\nplain\n~~~\n\n```js\nlet x;\n```\n\n"
                    "The end.")


def test_runs_hold_one_fence_each_and_join_back():
    splitter = BlockSplitter()
    done = splitter.feed("One.\n\n```py\nx\n```\n\nTwo.\n\n~~~\ny\n~~~\n\nThree.\n\n"
                         "```js\nz\n```\n\nOpen")
    runs = one_fence_each(done, splitter.cuts)
    assert runs == ["One.\n\n```py\nx\n```\n\nTwo.\n\n", "~~~\ny\n~~~\n\nThree.\n\n",
                    "```js\nz\n```\n"]
    assert "".join(runs) == done and splitter.pending == "\nOpen"
    assert one_fence_each("A.\n\n", [4]) == ["A.\n\n"]  # no fence: one run
    assert splitter.feed("") == "" and splitter.cuts == []


def words(size: int) -> list[str]:
    """The reply in chunks of `size` words (the demo server's tokens)."""
    import re

    tokens = re.findall(r"\S+\s*|\s+", REPLY)
    return ["".join(tokens[at:at + size]) for at in range(0, len(tokens), size)]


@pytest.mark.parametrize("size", [40, 90])
def test_two_fences_in_one_update_are_written_directly_as_reopened(qapp, monkeypatch, size):
    from opchat_gui.ui.transcript import writer
    from opchat_gui.ui.transcript.view import Transcript

    rendered: list[str] = []
    render = writer.render_markdown

    def counted(text: str, *args: object, **options: object) -> object:
        rendered.append(text)
        return render(text, *args, **options)

    monkeypatch.setattr(writer, "render_markdown", counted)
    views = []
    for streamed in (True, False):
        view = Transcript()
        view.resize(808, 566)
        view.show()
        views.append(view)
        if not streamed:  # the reply reopened: rendered whole
            view.show_messages([msg(1, "user", "go"), msg(2, "assistant", REPLY)])
            continue
        view.show_messages([msg(1, "user", "go")])
        view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
        shadow = BlockSplitter()  # what each update finishes
        twice = 0
        for chunk in words(size):
            before = len(rendered)
            done = shadow.feed(chunk)
            view.append_chunk(2, chunk)
            fence_lines = [line for line in done.split("\n") if line.startswith(("```", "~~~"))]
            if len(fence_lines) >= 4 and "- one" not in done:
                twice += 1
                assert len(rendered) == before, done  # (paragraphs and code: directly)
        assert twice  # (the batches did finish two fences in one update)
        view.update_message(msg(2, "assistant", REPLY))
    try:
        # (the importer leaves a space after a block's last words, a streamed insertion folds
        # its spacer line, and neither shows)
        streamed, reopened = (laid_out(view, strip=" \u200b") for view in views)
        for a, b in zip(streamed, reopened, strict=False):  # (the first difference)
            assert a == b, (a, b)
        assert len(streamed) == len(reopened)
    finally:
        for view in views:
            view.close()
            view.deleteLater()

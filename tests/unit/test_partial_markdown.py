"""A reply cut short renders as if it had ended where it was cut: no raw Markdown
markers from the cut, whatever character the cut lands on. Real markdown-it."""

from __future__ import annotations

import html
import re

import pytest

from opchat_gui.demo.aiengine_server import demo_reply
from opchat_gui.render.colours import LIGHT
from opchat_gui.render.markdown import render_markdown
from opchat_gui.render.partial import close_partial
from opchat_gui.store import MessageState
from tests.transcript_helpers import msg


def visible(markdown: str, *, partial: bool = True) -> str:
    """The text a reader sees: the rendered HTML without its tags."""
    rendered = render_markdown(markdown, LIGHT, partial=partial).html
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    rest = iter(whole)
    return all(word in rest for word in part)


@pytest.mark.parametrize(("cut", "mended"), [
    ("You asked: **Will this", "You asked: **Will this**"),
    ("a *b", "a *b*"),
    ("a _b", "a _b_"),
    ("a __b", "a __b__"),
    ("a ~~b", "a ~~b~~"),
    ("a `b", "a `b`"),
    ("a ``b c", "a ``b c``"),
    ("**Esc*", "**Esc**"),  # cut inside the closing marker
    ("***x", "***x***"),
    ("- Press **Ctrl+N** or **Esc", "- Press **Ctrl+N** or **Esc**"),
    ("**one\nline two", "**one\nline two**"),  # emphasis spans the paragraph's lines
    ("a **", "a"),  # an opener with nothing after it goes
    ("a `", "a"),
    ("- Press *", "- Press"),
    ("see [the docs](https://exa", "see the docs"),  # a cut address is no link
    ("```python\nx = 1", "```python\nx = 1\n```"),
    ("```python\nx = 1\n``", "```python\nx = 1\n```"),  # the closing fence, cut short
    ("Code:\n\n```python", "Code:"),  # nothing of the code yet
    ("| Key | Act", "| Key | Act |\n|---|---|"),
    ("| Key | Action |\n|--", "| Key | Action |\n|---|---|"),
    ("Table:\n\n|", "Table:"),
])
def test_open_markers_are_closed(cut, mended):
    assert close_partial(cut) == mended


@pytest.mark.parametrize("text", [
    "2*3 and 2 * 3", "snake_case_name", "**done** and `code`", "a \\*literal",
    "Para one\n\n**two**", "```\nunclosed **inside code", "x ~ y",
])
def test_what_is_closed_or_literal_stays_as_it_is(text):
    expected = text if not text.startswith("```") else text + "\n```"
    assert close_partial(text) == expected


def test_only_the_last_block_is_mended():
    # an earlier paragraph with a stray marker ended long ago; the model meant it
    assert close_partial("a **b\n\nc *d") == "a **b\n\nc *d*"


def test_every_cut_of_a_reply_shows_its_words_and_no_raw_markers():
    full = demo_reply("Will this survive a crash?")
    for end in range(1, len(full) + 1):
        cut = full[:end]
        shown = visible(cut)
        assert "**" not in shown and "`" not in shown and "](" not in shown, repr(cut[-40:])
        assert not re.search(r"(^|\s)[*_|](\s|$)", shown), repr(cut[-40:])
        # every word that came is shown, in order (a code block adds its label and Copy)
        # (a fence's language comes with the code: not before its first line)
        came = words(re.sub(r"```\w*$", "", cut))
        assert is_subsequence(came, words(shown)), repr(cut[-40:])


def test_a_finished_reply_is_not_mended():
    assert "**unclosed" in visible("an **unclosed marker", partial=False)




def test_an_interrupted_reply_from_history_renders_without_the_cut_marker(view):
    view.show_messages([msg(1, "user", "q"),
                        msg(2, "assistant", "You asked: **Will this", MessageState.INTERRUPTED)])
    text = view.toPlainText()
    assert "You asked: Will this" in text and "**" not in text
    assert view.document().find("Will this").charFormat().fontWeight() > 400  # bold


def test_a_reply_stopped_mid_marker_renders_without_it(view):
    view.show_messages([msg(1, "user", "q")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    content = "Press **Esc**.\n\nOr press\n`Ctrl"
    for start in range(0, len(content), 5):
        view.append_chunk(2, content[start:start + 5])
    assert "Press Esc." in view.toPlainText()  # the finished paragraph is rendered...
    assert "`" not in view.toPlainText()  # ...and the open one formatted as it streams
    assert "Or press Ctrl" in view.toPlainText()
    view.update_message(msg(2, "assistant", content, MessageState.STOPPED))
    text = view.toPlainText()
    assert "Or press Ctrl" in text and "`" not in text and "Stopped" in text

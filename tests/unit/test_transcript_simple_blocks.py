"""Plain paragraphs and fenced code render without markdown-it (render/simple_blocks.py):
the HTML must be exactly the parser's, and anything else must still go to the parser."""

from __future__ import annotations

import itertools

import pytest

from opchat_gui.render import markdown
from opchat_gui.render.colours import DARK, LIGHT
from opchat_gui.render.simple_blocks import Fence, Paragraph, simple_blocks

PIECES = [
    "This paragraph is one of many, in a reply.",
    "Don't stop; \"quoted\" (yes)! Well-known café über naïve words",
    "```python\nfor index in range(10):\n    print(index * index)\n```",
    "```\nplain <code> & \"x\"\n\tTabbed\n```",
    "```js\nlet a = `x`;\n````",
    "Two lines\nin one paragraph",
    "Trailing space \nnext",
    "```python\n```",
    "Line before fence\n```python\nx = 1\n```",
    "```c++\nint main() { return 0; }\n```",
    "   ```python\nx\n```",
    "```python\ncode\n  ```  ",
    "Hello  world inside",
    "```text\n\u202eevil\n```",
    "- a list item",
    "## A heading",
    "Some **bold** words",
    "See example.com or main.py",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "```python\nnever closed",
    "a hard  \nbreak",
    "    indented code",
]


@pytest.mark.parametrize("colours", [LIGHT, DARK])
def test_simple_replies_render_exactly_as_the_parser_renders_them(colours, monkeypatch):
    simple = 0
    combos = [*itertools.permutations(PIECES, 1), *itertools.permutations(PIECES, 2),
              *itertools.permutations(PIECES[:9], 3)]  # every pair, and triples of the first
    for combo, gap in itertools.product(combos, ("\n\n", "\n")):
        text = gap.join(combo) + "\n"
        fast = markdown.render_markdown(text, colours, message_id=3, code_base=2)
        with monkeypatch.context() as patch:
            patch.setattr(markdown, "simple_blocks", lambda _text: None)
            slow = markdown.render_markdown(text, colours, message_id=3, code_base=2)
        assert fast == slow, text
        simple += simple_blocks(text) is not None
    assert simple > 400  # (many of these went the short way)


def test_what_the_short_way_reads():
    assert simple_blocks("Hello there,\nfriend \n\n```python\nx = 1\n```\n\nBye.") == [
        Paragraph(("Hello there,", "friend")), Fence("python", "x = 1\n"), Paragraph(("Bye.",))]
    assert simple_blocks("Text\n```\ncode\n```") == [Paragraph(("Text",)), Fence("", "code\n")]


@pytest.mark.parametrize("text", [
    "- a point", "## heading", "1. one", "Some **bold**", "a `code`", "see example.com",
    "main.py", "a_b", "a hard  \nbreak", "x\n  indented", "    code", "a [link](x)",
    "a\ttab", "no\u00a0break", "$x$", "a & b", "a < b", "Setext\n---", "Setext\n===",
    "> quote", "a\\b", "```python\nnot closed", "````\nfour\n````", "~~~\ntilde\n~~~",
    "Text\n- a point",
])
def test_anything_markdown_may_shape_goes_to_the_parser(text):
    assert simple_blocks(text) is None

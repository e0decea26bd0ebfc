"""A big reply in pieces (render/slices.py): cut between blocks and between lines of a big
code block or table, coloured from one token stream, and the same content as the whole
reply rendered at once. Real markdown-it and pygments; no Qt."""

from __future__ import annotations

import re

from opchat_gui.render.colours import LIGHT
from opchat_gui.render.highlight import highlight_html, highlight_slices
from opchat_gui.render.markdown import render_markdown
from opchat_gui.render.slices import pieces
from opchat_gui.render.wide_tables import grid_parts, is_grid
from opchat_gui.ui.transcript.text import HUGE_LINE_CHARS, has_huge_line
from tests.unit.test_big_tables import table

PYTHON = "\n".join(f"def f{i}(x):\n    '''doc\n    {i}'''\n    return x * {i}  # c"
                   for i in range(400))


def test_highlighting_in_slices_joins_into_the_whole_blocks_colours():
    ends = [*[m.start() for m in re.finditer("\n", PYTHON)][5::37], len(PYTHON)]
    slices = list(highlight_slices(PYTHON, "python", "default", ends))
    assert len(slices) == len(ends)
    # A docstring runs over the cuts: it keeps its colour because the tokens are one stream.
    assert "\n".join(slices) == highlight_html(PYTHON, "python", "default")
    plain = list(highlight_slices("a<b\nc&d\ne", "no-such-language", "default", [3, 7, 9]))
    assert plain == ["a&lt;b", "c&amp;d", "e"]


def test_a_big_code_block_comes_as_its_frame_then_more_lines():
    codes: list[str] = []
    code = PYTHON + "\n"
    made = list(pieces("Intro\n\n```python\n" + code + "```\n\nAfter.", LIGHT, message_id=7,
                       codes=codes))
    assert codes == [code]  # the whole block, for its Copy link
    intro, first, *more, after = made
    assert "Intro" in intro.html and "After." in after.html
    assert "opchat:copy-code/7/0" in first.html and "f0" in first.html
    assert more and all(piece.more_code for piece in more)
    assert "f399" in more[-1].html and more[-1].last and not more[0].last
    assert "margin-bottom: 10px" in more[-1].html and "margin-bottom: 0" in more[0].html


def test_a_big_table_is_read_in_batches_then_comes_as_the_same_grid():
    source = table(300, 30)
    codes: list[str] = []
    made = list(pieces("Before\n\n" + source + "\n\nAfter", LIGHT, message_id=1, codes=codes))
    assert [piece.html for piece in made[1:4]] == ["", "", ""]  # rows read, nothing shown
    [classic] = render_markdown(source, LIGHT).codes
    assert codes == [classic]  # the grid, exactly as the whole reply would make it
    shown = "".join(piece.html for piece in made)
    [(grid, copied)] = [table for piece in made for table in piece.tables]
    assert "r299c29" not in shown and "<table" not in shown  # the grid goes apart:
    assert is_grid(grid) and grid_parts(grid) == (LIGHT.code_bg, classic.rstrip("\n"))
    assert copied == source.strip()  # copying a selection gives the Markdown
    assert render_markdown(source, LIGHT).tables == [(grid, copied)]  # as a whole reply


def test_markdown_is_cut_between_blocks_and_keeps_every_code_block():
    text = "\n\n".join(f"Paragraph {i} *em*.\n\n```sh\necho {i}\n```" for i in range(800))
    codes: list[str] = []
    made = list(pieces(text, LIGHT, message_id=1, codes=codes))
    assert len(made) > 10
    assert codes == render_markdown(text, LIGHT).codes  # numbered in order, none lost
    shown = "".join(piece.html for piece in made)
    assert all(f"Paragraph {i} <em>em</em>." in shown for i in (0, 399, 799))
    assert "```" not in shown
    links = re.findall(r"copy-code/1/(\d+)", shown)
    assert links == [str(i) for i in range(800)]


def test_a_huge_line_is_found_without_splitting_the_text():
    def naive(text: str) -> bool:
        return len(text) > HUGE_LINE_CHARS and any(
            len(line) > HUGE_LINE_CHARS for line in text.split("\n"))

    long = "x" * (HUGE_LINE_CHARS + 1)
    samples = [long, "a\n" + long, long + "\nb", "y\n" * 30_000, "z" * HUGE_LINE_CHARS,
               ("w" * (HUGE_LINE_CHARS - 1) + "\n") * 5, "\n".join([long, "q"] * 3),
               "p" * 15_000 + "\n" + "p" * 15_000, "\n" * 25_000 + long]
    for text in samples:
        assert has_huge_line(text) == naive(text), len(text)


"""A table too big for Qt's table layout becomes an aligned grid in a code block; a
chat-sized table keeps its table (render/big_tables.py)."""

from __future__ import annotations

from opchat_gui.render.big_tables import MAX_CELLS, grid
from opchat_gui.render.colours import LIGHT
from opchat_gui.render.markdown import render_markdown


def table(rows: int, cols: int) -> str:
    head = "| " + " | ".join(f"h{c}" for c in range(cols)) + " |\n|" + "---|" * cols + "\n"
    return head + "\n".join("| " + " | ".join(f"r{r}c{c}" for c in range(cols)) + " |"
                            for r in range(rows))


def test_a_300_by_30_table_renders_as_a_grid_with_every_cell():
    rendered = render_markdown("Before\n\n" + table(300, 30) + "\n\nAfter", LIGHT)
    assert "<table" not in rendered.html
    assert "Before" in rendered.html and "After" in rendered.html
    [code] = rendered.codes  # the grid is a code block: its Copy link copies it
    lines = code.splitlines()
    assert len(lines) == 302  # the header, its rule, 300 rows
    assert lines[0].split(" | ")[0].strip() == "h0" and set(lines[1]) <= {"-", "+"}
    assert lines[-1].split(" | ")[-1].strip() == "r299c29"
    assert all(f"r{r}c{c}" in code for r in (0, 150, 299) for c in (0, 15, 29))


def test_a_chat_sized_table_keeps_its_table():
    rows = MAX_CELLS // 10 - 1  # with its header row, just within the limit
    rendered = render_markdown(table(rows, 10), LIGHT)
    assert "<table" in rendered.html and rendered.codes == []


def test_the_grid_aligns_columns_and_pads_short_rows():
    text = grid([["name", "n"], ["a", "12345"], ["longer name"]])
    first, rule, *rest = text.splitlines()
    assert first.index("|") == rule.index("+") == rest[0].index("|")
    assert rest[1].startswith("longer name |")  # the missing cell is padded, not dropped


def test_a_big_table_inside_a_code_fence_stays_code_and_escaped_pipes_stay_in_their_cell():
    fenced = render_markdown("```\n" + table(300, 30) + "\n```", LIGHT)
    assert fenced.codes == [table(300, 30) + "\n"]  # the fence's own text, untouched
    rows = table(300, 30).replace("| r5c1 |", "| a \\| b |")
    [code] = render_markdown(rows, LIGHT).codes
    assert "a \\| b" in code.splitlines()[7]  # row 5, after the header and its rule
    assert all(len(line.split(" | ")) == 30 for line in code.splitlines()[2:5])

"""Tables too wide for the reading column leave the text flow and scroll sideways.

Why: QTextDocument fits a table to the column by wrapping its cells, so a table of many
columns became columns of a letter or two per line. A table whose columns cannot all
keep MIN_COLUMN_CHARS within COLUMN_CHARS is rendered on its own (its HTML) and stands
in the reply as one placeholder image named `opchat-table:<n>`; the transcript swaps it
for an object that draws the table at its own width, clipped, and scrolls it sideways
(ui/transcript/wide_table.py). Narrower tables keep their place in the text, where
find and selection reach their cells.

The estimate counts characters of each cell's source: it does not know the window's
width, so a table is wide or not whatever the window (no re-render on resize).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # markdown-it loads after the first paint (B3); the transcript needs SCHEME
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

SCHEME = "opchat-table:"
TOKEN = "wide_table"
COLUMN_CHARS = 80  # about 46 em of text, the reading column's widest
MIN_COLUMN_CHARS = 12  # a column narrower than this reads as a letter or two per line
CELL_PAD_CHARS = 3  # a cell's padding and border, in characters
GRID_START = "\x1dgrid "  # a big table's grid (render/big_tables.py): never table HTML


def wide_tables_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("wide_tables", _collapse_wide_tables)  # after inline: cells parsed


def placeholder(number: int, top: int = 8, bottom: int = 8) -> str:
    """The image that stands for the reply's `number`th wide table (or big table's grid)."""
    return (f'<p style="margin-top: {top}px; margin-bottom: {bottom}px;">'
            f'<img src="{SCHEME}{number}" width="1" height="1" /></p>\n')


def grid_key(text: str, background: str) -> str:
    """What stands for a big table's grid where a wide table has its HTML: the grid's
    plain lines and their background (ui/transcript/grid_text.py draws them)."""
    return f"{GRID_START}{background}\n{text}"


def is_grid(key: str) -> bool:
    return key.startswith(GRID_START)


def grid_parts(key: str) -> tuple[str, str]:
    """(background, text) of a grid_key."""
    head, _, text = key.partition("\n")
    return head[len(GRID_START):], text


def needs_scroll(rows: list[list[str]]) -> bool:
    """Whether the columns, each given at least its minimum, overflow the column."""
    if not rows:
        return False
    count = max(len(row) for row in rows)
    widths = [max((len(row[col]) for row in rows if col < len(row)), default=0)
              for col in range(count)]
    least = sum(min(width, MIN_COLUMN_CHARS) + CELL_PAD_CHARS for width in widths)
    return least > COLUMN_CHARS


def table_rows(tokens: list[Token]) -> list[list[str]]:
    """Each row's cells as their Markdown source (the header row first)."""
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(" ".join(token.content.split()))
    return rows


def _collapse_wide_tables(state: StateCore) -> None:
    """Each wide table's tokens become one TOKEN holding them and the table's source."""
    from markdown_it.token import Token  # loaded already: this rule runs inside markdown-it

    def collapse(run: list[Token], source: str) -> list[Token]:
        if not needs_scroll(table_rows(run)):
            return run
        wide = Token(TOKEN, "table", 0, map=run[0].map, block=True)
        wide.meta = {"tokens": run, "source": source}
        return [wide]

    replace_tables(state, collapse)


def replace_tables(state: StateCore,
                   replace: Callable[[list[Token], str], list[Token]]) -> None:
    """Each table's run of tokens (table_open to its table_close) through `replace`, with
    the table's Markdown source; what it returns stands in the run's place. Both table
    rules (wide tables here, big tables' grids) walk the tokens this one way."""
    tokens = state.tokens
    if not any(token.type == "table_open" for token in tokens):
        return
    lines = state.src.split("\n")
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type != "table_open":
            out.append(token)
            index += 1
            continue
        end = _close_of(tokens, index)
        start, stop = token.map or (0, 0)
        out.extend(replace(tokens[index:end + 1], "\n".join(lines[start:stop]).strip()))
        index = end + 1
    state.tokens = out


def _close_of(tokens: list[Token], start: int) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index].type == "table_open":
            depth += 1
        elif tokens[index].type == "table_close":
            depth -= 1
            if depth == 0:
                return index
    return len(tokens) - 1

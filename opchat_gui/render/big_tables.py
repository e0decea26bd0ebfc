"""Tables too big for QTextDocument show as an aligned text grid in a code block.

Why: Qt lays out a table cell by cell, and all of a table at once: a 30 x 30 table froze
the window ~135 ms and a 300 x 30 one 5 s while the conversation opened
(benchmarks/b6_big_content.py), and no edit block, fragment or deferred layout avoids
it. A grid of monospaced lines lays out like any code block (a few ms for hundreds of
lines), keeps every cell readable in the order written, and its Copy link copies the
grid. Tables up to MAX_CELLS keep their usual look.

The grid is not written into the reply's text: its rows would wrap in the reading column
(code wraps there) and lose their alignment. It stands in the reply as one placeholder,
like a wide table (render/wide_tables.py), grid_html standing where a wide table has its
HTML: plain lines that never wrap, drawn clipped and scrolled sideways by
ui/transcript/wide_table.py and grid_text.py.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from opchat_gui.render.bidi import marked_plain
from opchat_gui.render.colours import TranscriptColours
from opchat_gui.render.wide_tables import grid_key, replace_tables, table_rows

MAX_CELLS = 300  # ~50 ms of layout on this machine (b6_big_content), a generous chat table
LANGUAGE = "table"


DELIMITER = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def big_tables_plugin(md: MarkdownIt) -> None:
    # The fast path: a big table never becomes 9,000 cell tokens (markdown-it's own table
    # rule took ~0.3 s for 300 x 30). The core rule catches any the block rule let by.
    md.block.ruler.before("table", "big_table", _big_table_block,
                          {"alt": ["paragraph", "reference"]})
    md.core.ruler.before("inline", "big_tables", _replace_big_tables)  # cells unparsed


def _source_line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [" ".join(cell.split()) for cell in CELL_SPLIT.split(line)]


def _big_table_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A table of more than MAX_CELLS cells, straight to a grid fence; False (the usual
    table rule decides) for anything else."""
    if start + 2 > end or state.sCount[start] - state.blkIndent >= 4:
        return False
    header = _source_line(state, start)
    delimiter = _source_line(state, start + 1)
    if "|" not in header or "-" not in delimiter or not DELIMITER.match(delimiter):
        return False
    columns = len(cells(header))
    if len(cells(delimiter)) != columns:
        return False
    rows = [cells(header)]
    line = start + 2
    while line < end:
        text = _source_line(state, line)
        if not text.strip() or "|" not in text or state.sCount[line] - state.blkIndent >= 4:
            break
        rows.append(cells(text)[:columns])
        line += 1
    if len(rows) * columns <= MAX_CELLS:
        return False
    if silent:
        return True
    token = state.push("fence", "code", 0)
    token.info, token.markup, token.map = LANGUAGE, "```", [start, line]
    token.content = grid(rows)
    token.meta = {"source": state.src[state.bMarks[start]:state.eMarks[line - 1]]}
    state.line = line
    return True


def _replace_big_tables(state: StateCore) -> None:
    def to_grid(run: list[Token], source: str) -> list[Token]:
        rows = table_rows(run)
        if sum(len(row) for row in rows) <= MAX_CELLS:
            return run
        fence = Token("fence", "code", 0, map=run[0].map, block=True)
        fence.info = LANGUAGE
        fence.content = grid(rows)
        fence.meta = {"source": source}
        return [fence]

    replace_tables(state, to_grid)


def grid(rows: list[list[str]]) -> str:
    """The rows as aligned columns, a rule under the header: readable in any monospace."""
    if not rows:
        return ""
    count = max(len(row) for row in rows)
    cells = [row + [""] * (count - len(row)) for row in rows]
    widths = [max(len(row[col]) for row in cells) for col in range(count)]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             .rstrip() for row in cells]
    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([lines[0], rule, *lines[1:]]) + "\n"


def grid_html(text: str, colours: TranscriptColours) -> str:
    """The grid as its object's key (wide_tables.grid_key): its lines, bidi controls
    shown as markers, on the code background."""
    return grid_key(marked_plain(text.rstrip("\n")), colours.code_bg)

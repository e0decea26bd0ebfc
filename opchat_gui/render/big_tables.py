"""Tables too big for QTextDocument show as an aligned text grid in a code block.

Why: Qt lays out a table cell by cell, and all of a table at once: a 30 x 30 table froze
the window ~135 ms and a 300 x 30 one 5 s while the conversation opened
(benchmarks/b6_big_content.py), and no edit block, fragment or deferred layout avoids
it. A grid of monospaced lines lays out like any code block (a few ms for hundreds of
lines), keeps every cell readable in the order written, and its Copy link copies the
grid. Tables up to MAX_CELLS keep their usual look.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_CELLS = 300  # ~50 ms of layout on this machine (b6_big_content), a generous chat table
LANGUAGE = "table"


def big_tables_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("big_tables", _replace_big_tables)


def _replace_big_tables(state: StateCore) -> None:
    tokens = state.tokens
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type != "table_open":
            out.append(token)
            index += 1
            continue
        end = _close_of(tokens, index)
        rows = _rows(tokens[index:end + 1])
        if sum(len(row) for row in rows) <= MAX_CELLS:
            out.extend(tokens[index:end + 1])
        else:
            fence = Token("fence", "code", 0, map=token.map, block=True)
            fence.info = LANGUAGE
            fence.content = grid(rows)
            out.append(fence)
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


def _rows(tokens: list[Token]) -> list[list[str]]:
    """Each row's cells as their Markdown source (the header row first)."""
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(" ".join(token.content.split()))
    return rows


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

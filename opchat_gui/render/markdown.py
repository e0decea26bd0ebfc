"""Markdown to the HTML subset QTextDocument understands, safe for untrusted model output.

- Raw HTML is never passed through (markdown-it `html=False` escapes it).
- Links survive only for http, https and mailto; anything else stays literal text.
- Images never become <img>: they render as links, so nothing remote is ever fetched.
- `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]` are math (render/math.py); "$5 and $10" is not.
- Invisible bidi controls (U+202E and the like) show as visible markers (render/bidi.py).
- A table too wide for the column is returned apart, to scroll sideways (wide_tables.py).
- Fenced code is highlighted by pygments and framed with a language label and a Copy
  link (`opchat:copy-code/<message id>/<index>`); the raw code is returned beside
  the HTML so the link can copy it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from opchat_gui.render.bidi import marked_html
from opchat_gui.render.big_tables import LANGUAGE as BIG_TABLE
from opchat_gui.render.big_tables import big_tables_plugin, grid_html
from opchat_gui.render.colours import TranscriptColours
from opchat_gui.render.highlight import highlight_html
from opchat_gui.render.links import COPY_CODE, safe_url
from opchat_gui.render.math import MathHtml, math_plugin
from opchat_gui.render.partial import close_partial
from opchat_gui.render.simple_blocks import Fence, Paragraph, simple_blocks
from opchat_gui.render.wide_tables import TOKEN as WIDE_TABLE
from opchat_gui.render.wide_tables import placeholder, wide_tables_plugin


@dataclass
class Rendered:
    html: str
    codes: list[str] = field(default_factory=list)  # each fenced block's raw text, in order
    # Each wide table's (HTML, Markdown source); `opchat-table:<n>` images stand for them.
    tables: list[tuple[str, str]] = field(default_factory=list)


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.use(footnote_plugin)
    md.use(math_plugin)
    md.use(big_tables_plugin)
    md.use(wide_tables_plugin)
    md.validateLink = safe_url  # type: ignore[method-assign]
    for name, rule in _RULES.items():
        md.add_render_rule(name, rule)
    return md


def _colours(env: dict[str, Any]) -> TranscriptColours:
    colours: TranscriptColours = env["colours"]
    return colours


def _fence(_self: Any, tokens: Sequence[Token], idx: int, _options: Any,
           env: dict[str, Any]) -> str:
    token = tokens[idx]
    code = token.content
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    if language == BIG_TABLE and isinstance(token.meta.get("source"), str):
        return big_table_html(code, token.meta["source"], env)
    return code_block_html(code, language, env)


def big_table_html(grid: str, source: str, env: dict[str, Any]) -> str:
    """A big table's grid (render/big_tables.py): its frame and Copy link, then the grid
    apart in env["tables"], a placeholder for it in the text (it scrolls sideways)."""
    tables: list[tuple[str, str]] = env["tables"]
    tables.append((grid_html(grid, _colours(env)), source))
    return code_header_html(grid, BIG_TABLE, env) + placeholder(len(tables) - 1, 0, 10)


def code_block_html(code: str, language: str, env: dict[str, Any]) -> str:
    """A framed, highlighted block with a Copy link; records the code in env["codes"]."""
    c = _colours(env)
    body = highlight_html(code.rstrip("\n"), language, c.pygments_style)
    return code_header_html(code, language, env) + code_pre_html(body, c)


def code_header_html(code: str, language: str, env: dict[str, Any]) -> str:
    """A code block's first line (its language and Copy link); records the code."""
    c = _colours(env)
    codes: list[str] = env["codes"]
    index = env["code_base"] + len(codes)
    codes.append(code)
    href = f"{COPY_CODE}{env['message_id']}/{index}"
    label = html.escape(language or "text")
    copy = html.escape(env.get("copy_label", "Copy"))
    # Plain blocks, not a table: every table is a frame, and frames make each later edit
    # of the document re-lay out all of them.
    return (
        f'<p style="background-color: {c.code_header_bg}; margin-top: 10px; margin-bottom: 0;'
        f' text-indent: 10px;"><span style="color: {c.muted}; font-size: small;">{label}</span>'
        f'&nbsp;&nbsp;&nbsp;<a href="{href}" style="color: {c.link}; text-decoration: none;'
        f' font-size: small;">{copy}</a></p>\n'
    )


def code_pre_html(body: str, c: TranscriptColours, *, last: bool = True) -> str:
    """Highlighted lines on the code background; `last`: the block ends with them (a
    block written in slices has its gap below only after its last lines)."""
    bottom = "10px" if last else "0"
    # pre-wrap: a long line wraps inside the column (the transcript never scrolls sideways)
    return (f'<pre style="background-color: {c.code_bg}; margin-top: 0; margin-bottom: {bottom};'
            f' text-indent: 10px; white-space: pre-wrap;">{body}</pre>\n')


def _code_block(self: Any, tokens: Sequence[Token], idx: int, options: Any,
                env: dict[str, Any]) -> str:
    return code_block_html(tokens[idx].content, "", env)


def _code_inline(_self: Any, tokens: Sequence[Token], idx: int, _options: Any,
                 env: dict[str, Any]) -> str:
    c = _colours(env)
    return (f'<code style="background-color: {c.inline_code_bg};">'
            f"{html.escape(tokens[idx].content)}</code>")


def _link_open(_self: Any, tokens: Sequence[Token], idx: int, _options: Any,
               env: dict[str, Any]) -> str:
    href = str(tokens[idx].attrGet("href") or "")
    title = tokens[idx].attrGet("title")
    extra = f' title="{html.escape(str(title))}"' if title else ""
    return (f'<a href="{html.escape(href)}"{extra}'
            f' style="color: {_colours(env).link};">')


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any,
           env: dict[str, Any]) -> str:
    """An image becomes a link to it: QTextDocument would otherwise try to load it."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env) or src
    shown = html.escape("🖼 " + alt)
    if not safe_url(src):
        return shown
    return f'<a href="{html.escape(src)}" style="color: {_colours(env).link};">{shown}</a>'


WIDE_TABLE_COLUMNS = 6  # from this many columns a table is set smaller and tighter


def _table_open(_self: Any, tokens: Sequence[Token], idx: int, _options: Any,
                env: dict[str, Any]) -> str:
    """A table stays inside the reading column (QTextDocument wraps its cells); a wide
    one is set in a smaller size with tighter cells, so its columns keep a readable
    width instead of a letter or two per line."""
    c = _colours(env)
    columns = 0
    for token in tokens[idx + 1:]:
        if token.type == "th_open":
            columns += 1
        elif token.type == "tr_close":
            break
    wide = columns >= WIDE_TABLE_COLUMNS and not env.get("scrolls")
    padding, size = (3, " font-size: small;") if wide else (6, "")
    return (f'<table border="1" cellspacing="0" cellpadding="{padding}" '
            f'style="border-collapse: collapse; border-color: {c.table_border};'
            f' margin-top: 8px; margin-bottom: 8px;{size}">\n')


def _wide_table(self: Any, tokens: Sequence[Token], idx: int, options: Any,
                env: dict[str, Any]) -> str:
    """A table that scrolls sideways (render/wide_tables.py): its HTML goes to
    env["tables"], a placeholder image to the text."""
    meta = tokens[idx].meta
    tables: list[tuple[str, str]] = env["tables"]
    env["scrolls"] = True  # its own width: no need to set it smaller
    try:
        table = self.render(meta["tokens"], options, env)
    finally:
        env["scrolls"] = False
    tables.append((marked_html(table, _colours(env).muted), meta["source"]))
    return placeholder(len(tables) - 1)


def _th_open(_self: Any, tokens: Sequence[Token], idx: int, _options: Any,
             env: dict[str, Any]) -> str:
    c = _colours(env)
    return f'<th{_align(tokens[idx])} style="background-color: {c.table_header_bg};">'


def _td_open(_self: Any, tokens: Sequence[Token], idx: int, _options: Any,
             _env: dict[str, Any]) -> str:
    return f"<td{_align(tokens[idx])}>"


def _align(token: Token) -> str:
    """A table cell's alignment as an attribute (QTextDocument ignores text-align styles)."""
    style = str(token.attrGet("style") or "")
    return f' align="{style.split(":")[1].strip()}"' if "text-align" in style else ""


def _blockquote_open(_self: Any, _tokens: Sequence[Token], _idx: int, _options: Any,
                     env: dict[str, Any]) -> str:
    return f'<blockquote style="color: {_colours(env).quote};">\n'


_RULES = {
    "fence": _fence,
    "code_block": _code_block,
    "code_inline": _code_inline,
    "link_open": _link_open,
    "image": _image,
    "table_open": _table_open,
    WIDE_TABLE: _wide_table,
    "th_open": _th_open,
    "td_open": _td_open,
    "blockquote_open": _blockquote_open,
}

_PARSER = _make_parser()


def render_markdown(text: str, colours: TranscriptColours, *, message_id: int = 0,
                    code_base: int = 0, copy_label: str = "Copy",
                    partial: bool = False, math: MathHtml | None = None) -> Rendered:
    """`text` as HTML; code blocks are numbered from `code_base` for their Copy links.
    `partial`: the text is a reply cut short; what its end left open is closed first.
    `math` draws each formula (render/math.py); without it formulas show as source."""
    if partial:
        text = close_partial(text)
    env: dict[str, Any] = {"colours": colours, "codes": [], "code_base": code_base,
                           "message_id": message_id, "copy_label": copy_label,
                           "math": math, "tables": []}
    blocks = None if "\r" in text or "\0" in text else simple_blocks(text)
    html_text = _PARSER.render(text, env) if blocks is None else _simple_html(blocks, env)
    body = marked_html(html_text, colours.muted)
    return Rendered(body, env["codes"], env["tables"])


def _simple_html(blocks: list[Paragraph | Fence], env: dict[str, Any]) -> str:
    """What the parser and the rules above make of plain paragraphs and fenced code
    (render/simple_blocks.py), without the parser: the same HTML, for less."""
    parts = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append("<p>" + "\n".join(escapeHtml(line) for line in block.lines)
                         + "</p>\n")
        else:
            parts.append(code_block_html(block.code, block.language, env))
    return "".join(parts)


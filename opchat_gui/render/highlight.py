"""Syntax highlighting of code blocks through pygments, as inline-styled HTML spans.

QTextDocument understands `<span style="color:…">` but no style sheets with classes,
so the formatter writes every colour inline (noclasses). Lexers and formatters are
cached: looking them up costs more than highlighting a short block.
"""

from __future__ import annotations

import html
from functools import lru_cache

from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

MAX_HIGHLIGHT_CHARS = 200_000  # past this a block is shown plain: highlighting is not free


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    if not language:
        return None
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=8)
def _formatter(style: str) -> HtmlFormatter:
    return HtmlFormatter(style=style, noclasses=True, nowrap=True)


def highlight_html(code: str, language: str, style: str) -> str:
    """The code as HTML spans (no wrapper element); plain escaped text if unknown."""
    lexer = _lexer(language.strip().lower())
    if lexer is None or len(code) > MAX_HIGHLIGHT_CHARS:
        return html.escape(code)
    return str(pygments_highlight(code, lexer, _formatter(style))).rstrip("\n")

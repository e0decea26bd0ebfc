"""Syntax highlighting of code blocks through pygments, as inline-styled HTML spans.

QTextDocument understands `<span style="color:…">` but no style sheets with classes,
so the formatter writes every colour inline (noclasses). Lexers and formatters are
cached: looking them up costs more than highlighting a short block. A name pygments
does not know is refused before pygments looks for it among installed plugins (that
search reads every package's entry points: 40 ms, once per unknown name).
A block's highlighted HTML is kept for its next render (up to CACHED_CHARS of code, the
last CACHED_BLOCKS blocks): a reply is rendered again when it ends, when it is reopened
and when a tool turn redraws it, and the same code often comes twice in one reply.
A big block is highlighted a slice of lines at a time (`highlight_slices`), from one
token stream, so a string or comment that spans slices keeps its colour.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache

from pygments import format as pygments_format
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.util import ClassNotFound

MAX_HIGHLIGHT_CHARS = 200_000  # past this a block is shown plain: highlighting is not free
CACHED_CHARS = 8_000  # a longer block is highlighted each time (the cache stays small)
CACHED_BLOCKS = 128


@cache
def _known() -> frozenset[str]:
    return frozenset(alias.lower() for _name, aliases, _files, _types
                     in get_all_lexers(plugins=False) for alias in aliases)


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    if not language or language not in _known():
        return None
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=8)
def _formatter(style: str) -> HtmlFormatter:
    return HtmlFormatter(style=style, noclasses=True, nowrap=True)


def highlights(length: int, language: str) -> bool:
    """Whether code this long would be coloured (a known language, not too long)."""
    return length <= MAX_HIGHLIGHT_CHARS and _lexer(language.strip().lower()) is not None


def highlight_html(code: str, language: str, style: str) -> str:
    """The code as HTML spans (no wrapper element); plain escaped text if unknown."""
    if len(code) <= CACHED_CHARS:
        return _cached_html(code, language.strip().lower(), style)
    return _highlight_html(code, language.strip().lower(), style)


def _highlight_html(code: str, language: str, style: str) -> str:
    lexer = _lexer(language)
    if lexer is None or len(code) > MAX_HIGHLIGHT_CHARS:
        return html.escape(code)
    return str(pygments_highlight(code, lexer, _formatter(style))).rstrip("\n")


_cached_html = lru_cache(maxsize=CACHED_BLOCKS)(_highlight_html)


Tokens = tuple[tuple[object, str], ...]  # (pygments token type, text)


def highlight_tokens(code: str, language: str) -> Tokens | None:
    """The code's tokens, as `highlight_html` colours them; None when it shows plain
    (an unknown language, or too long). For writing a block without HTML."""
    if len(code) <= CACHED_CHARS:
        return _cached_tokens(code, language.strip().lower())
    return _tokens(code, language.strip().lower())


def _tokens(code: str, language: str) -> Tokens | None:
    lexer = _lexer(language)
    if lexer is None or len(code) > MAX_HIGHLIGHT_CHARS:
        return None
    return tuple(lexer.get_tokens(code))


_cached_tokens = lru_cache(maxsize=CACHED_BLOCKS)(_tokens)


def token_html(kind: object, text: str, style: str) -> str:
    """One token as `highlight_html` writes it (a styled span, or escaped text)."""
    return str(pygments_format([(kind, text)], _formatter(style)))


def highlight_slices(code: str, language: str, style: str, ends: Sequence[int]
                     ) -> Iterator[str]:
    """The code up to ends[-1] as HTML in slices, each slice the lines up to the next
    offset in `ends` (each the offset of a newline, the last where the code ends); joined
    with newlines they are `highlight_html(code[:ends[-1]], ...)`. Each slice is
    highlighted only when asked for (and a megabyte shown plain is never copied whole)."""
    lexer = _lexer(language.strip().lower())
    start = 0
    if lexer is None or ends[-1] > MAX_HIGHLIGHT_CHARS:
        for end in ends:
            yield html.escape(code[start:end])
            start = end + 1
        return
    code = code[:ends[-1]]
    tokens = iter(lexer.get_tokens(code))
    carry: tuple[object, str] | None = None
    for number, end in enumerate(ends):
        stop = min(end + 1, len(code))  # the slice's newline goes with it
        want = stop - start if number < len(ends) - 1 else sys.maxsize  # the last: all
        taken: list[tuple[object, str]] = []
        while want > 0:
            token = carry if carry is not None else next(tokens, None)
            carry = None
            if token is None:
                break
            kind, value = token
            if len(value) > want:
                value, carry = value[:want], (kind, value[want:])
            taken.append((kind, value))
            want -= len(value)
        text = str(pygments_format(taken, _formatter(style)))
        yield text[:-1] if text.endswith("\n") else text
        start = stop

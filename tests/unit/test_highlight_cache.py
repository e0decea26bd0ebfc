"""A code block's highlighted HTML is kept for its next render (render/highlight.py):
the kept HTML is what pygments makes, per language and style, and a long block is not
kept."""

from __future__ import annotations

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from opchat_gui.render import highlight as highlights

CODE = "def greet(name: str) -> str:\n    return f\"Hello, {name}!\"  # hi"


def pygments_html(code: str, language: str, style: str) -> str:
    lexer = get_lexer_by_name(language, stripnl=False, ensurenl=False)
    return str(highlight(code, lexer, HtmlFormatter(style=style, noclasses=True,
                                                    nowrap=True))).rstrip("\n")


def test_kept_html_is_what_pygments_makes_for_each_language_and_style():
    highlights._cached_html.cache_clear()
    for style in ("default", "monokai"):
        first = highlights.highlight_html(CODE, "python", style)
        again = highlights.highlight_html(CODE, " Python ", style)
        assert first == again == pygments_html(CODE, "python", style)
    assert highlights.highlight_html(CODE, "js", "default") == pygments_html(CODE, "js",
                                                                             "default")
    assert highlights.highlight_html("<b>", "no-such-language", "default") == "&lt;b&gt;"
    info = highlights._cached_html.cache_info()
    assert info.hits == 2 and info.misses == 4


def test_a_long_block_is_highlighted_each_time_and_not_kept():
    highlights._cached_html.cache_clear()
    code = "x = 1\n" * (highlights.CACHED_CHARS // 6 + 1)
    assert highlights.highlight_html(code, "python", "default") == pygments_html(
        code, "python", "default")
    assert highlights._cached_html.cache_info().currsize == 0

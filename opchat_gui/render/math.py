"""LaTeX math in Markdown: where formulas are (parsing) and what they look like (SVG).

Parsing follows established rules rather than our own guesses:
- `$…$` and `$$…$$` are mdit-py-plugins' `dollarmath` with Pandoc's money rule
  (`allow_space=False, allow_digits=False`): the opening `$` must not be followed by a
  space, the closing one not preceded by a space nor followed by a digit, so
  "$5 and $10" stays text;
- `\\(…\\)` and `\\[…\\]` are the "brackets" rules of mdit-py-plugins' `texmath`
  (markdown-it-texmath's), registered under their own names so both sets coexist.
Each formula is handed to `env["math"]`, a `MathHtml` the caller supplies: the
transcript turns it into an image (ui/transcript/math.py), because only it knows
the font, the colour and the screen; without one a formula shows as its source.

Typesetting is ziamath (LaTeX -> MathML by latex2mathml -> SVG paths, with the
STIX Two Math font it ships), chosen because it is pure Python and needs no TeX
installation, draws real math layout (fractions, roots, big operators, matrices,
stretchy delimiters) rather than a font-substitution approximation, and costs about
4 MB in the frozen app (three MIT wheels, most of it the one OpenType math font).
The alternatives were worse here: matplotlib's mathtext covers less LaTeX and brings
numpy and ~40 MB; KaTeX or MathJax need a JavaScript engine (QtWebEngine adds
hundreds of MB); a TeX installation cannot be assumed on users' machines. Its
output is plain SVG 1.1 paths, which QtSvg (part of PySide6-Essentials) draws.

A formula is typeset once at a reference size, black, and cached (a bounded LRU):
sizes scale the vector geometry and colours are applied when it is drawn, so a
theme switch or zoom never typesets again. Broken LaTeX is a value (None), never
an exception.
"""

from __future__ import annotations

import html
import re
import sys
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parser loads after the first paint, with render/markdown.py
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from mdit_py_plugins.texmath.index import RuleDictType

REFERENCE_PX = 100.0  # formulas are typeset at this font size; geometry scales from it
MAX_SOURCE_CHARS = 4_000  # a longer "formula" is shown as its source, not typeset
CACHE_SIZE = 2_048  # typeset formulas kept

# (source with its delimiters, the LaTeX inside, display?) -> HTML for the formula
MathHtml = Callable[[str, str, bool], str]

_VIEWBOX = re.compile(r'viewBox="([-\d.e]+) ([-\d.e]+) ([-\d.e]+) ([-\d.e]+)"')
_CLOSING = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}


@dataclass(frozen=True)
class Typeset:
    """A formula's SVG (black, at REFERENCE_PX) and its box in em, from the baseline."""

    svg: bytes
    width: float
    ascent: float  # above the baseline
    descent: float  # below it

    def scaled(self, px: float) -> tuple[float, float, float]:
        """(width, ascent, descent) in pixels at a font size of `px`."""
        return self.width * px, self.ascent * px, self.descent * px


def math_plugin(md: MarkdownIt) -> None:
    """Teach the parser all four delimiters; formulas render through env["math"]."""
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.texmath.index import make_block_func, make_inline_func
    from mdit_py_plugins.texmath.index import rules as texmath_rules

    dollarmath_plugin(md, allow_space=False, allow_digits=False, allow_labels=False,
                      allow_blank_lines=False, double_inline=True)
    brackets = texmath_rules["brackets"]
    md.inline.ruler.before("escape", "math_inline_brackets",
                           make_inline_func(brackets["inline"][0]))
    block = next(rule for rule in brackets["block"] if rule["name"] == "math_block")
    md.block.ruler.before("fence", "math_block_brackets", make_block_func(block))
    md.add_render_rule("math_inline", _render_inline)
    md.add_render_rule("math_inline_double", _render_display_inline)
    md.add_render_rule("math_block", _render_block)


def source_of(token: Token) -> str:
    """The formula as it was written, delimiters included (what copying gives back)."""
    opening = token.markup or "$"
    return f"{opening}{token.content}{_CLOSING.get(opening, opening)}"


def _formula(tokens: Sequence[Token], idx: int, env: dict[str, Any], display: bool) -> str:
    token = tokens[idx]
    latex = token.content.strip()
    render: MathHtml | None = env.get("math")
    if render is None:
        background = getattr(env.get("colours"), "inline_code_bg", "")
        return source_html(source_of(token), display, background)
    return render(source_of(token), latex, display)


def _render_inline(_self: Any, tokens: Sequence[Token], idx: int, _options: Any,
                   env: dict[str, Any]) -> str:
    return _formula(tokens, idx, env, False)


def _render_display_inline(_self: Any, tokens: Sequence[Token], idx: int, _options: Any,
                           env: dict[str, Any]) -> str:
    return _formula(tokens, idx, env, True)


def _render_block(_self: Any, tokens: Sequence[Token], idx: int, _options: Any,
                  env: dict[str, Any]) -> str:
    return f'<p align="center">{_formula(tokens, idx, env, True)}</p>\n'


def source_html(source: str, display: bool, background: str = "") -> str:
    """A formula that is not drawn (broken, too long, no renderer): its source as code."""
    style = f' style="background-color: {background};"' if background else ""
    return f"<code{style}>{html.escape(source)}</code>"


class TypesetCache:
    """Typeset formulas by (LaTeX, display), least recently used dropped past `size`."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, bool], Typeset | None] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def get(self, latex: str, display: bool) -> Typeset | None:
        """The formula typeset (from the cache when it was before); None: broken."""
        key = (latex, display)
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        result = typeset(latex, display)
        self._items[key] = result
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return result


def ready() -> bool:
    """Whether the typesetter is loaded (its first use costs a third of a second)."""
    return "ziamath" in sys.modules


def typeset(latex: str, display: bool) -> Typeset | None:
    """The formula laid out by ziamath, or None when it is not valid LaTeX math."""
    if not latex.strip() or len(latex) > MAX_SOURCE_CHARS:
        return None
    try:
        svg = _ziamath_svg(latex, display)
    except Exception:  # untrusted input to a third-party parser: any failure is "broken"
        return None
    box = _VIEWBOX.search(svg)
    if box is None:
        return None
    _x, y, width, height = (float(value) / REFERENCE_PX for value in box.groups())
    if width <= 0 or height <= 0:
        return None
    return Typeset(svg.encode("utf-8"), width, -y, y + height)


def _ziamath_svg(latex: str, display: bool) -> str:
    # ziamath finds its font with importlib.resources.path(), deprecated since 3.11.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        # A third of a second to import: only when the first formula comes.
        from ziamath.config import config
        from ziamath.zmath import Latex

        config.svg2 = False  # SVG 1.1 paths: what QtSvg draws (no <symbol>/<use href>)
        config.precision = 3
        svg: str = Latex(latex, size=REFERENCE_PX, color="black", inline=not display,
                         margin=0).svg()
    return svg


@cache
def _plain_parser() -> MarkdownIt:
    """Only formulas, for text that is not Markdown (the user's messages); built on first use,
    so importing this module costs no Markdown parser at start-up."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.texmath.index import make_inline_func
    from mdit_py_plugins.texmath.index import rules as texmath_rules

    md = MarkdownIt("zero")
    dollarmath_plugin(md, allow_space=False, allow_digits=False, allow_labels=False,
                      allow_blank_lines=False, double_inline=True)
    brackets = texmath_rules["brackets"]
    md.inline.ruler.before("escape", "math_inline_brackets",
                           make_inline_func(brackets["inline"][0]))
    display: RuleDictType = {"name": "math_inline_double", "tag": "\\[", "tmpl": "",
                             "rex": re.compile(r"^\\\[([\s\S]+?)\\\]")}
    md.inline.ruler.before("escape", "math_display_brackets", make_inline_func(display))
    return md



def split_math(text: str) -> list[tuple[str, str | None, bool]]:
    """Plain text cut into (text, None, False) and (source, LaTeX, display) pieces, by
    the same rules as Markdown (so "$5 and $10" is one piece of text)."""
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return [(text, None, False)]
    pieces: list[tuple[str, str | None, bool]] = []
    plain = 0  # where the text not yet in `pieces` starts
    tokens = _plain_parser().parseInline(text)
    children = tokens[0].children or [] if tokens else []
    position = 0
    for token in children:
        if token.type in ("math_inline", "math_inline_double"):
            source = source_of(token)
            start = text.find(source, position)
            if start < 0:
                continue
            if start > plain:
                pieces.append((text[plain:start], None, False))
            pieces.append((source, token.content.strip(),
                           token.type == "math_inline_double"))
            plain = position = start + len(source)
    if plain < len(text):
        pieces.append((text[plain:], None, False))
    return pieces

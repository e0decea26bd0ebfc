"""Invisible bidi controls in model output, made visible (as code review tools show them).

An override such as U+202E reverses the rest of its paragraph on screen, so a reply can
show text other than what it holds. Every control becomes a small marker, ``⟨U+202E⟩``;
the text's own direction (a Hebrew or Arabic reply) is left to the view's blocks.
"""

from __future__ import annotations

import re

# Embeddings and overrides, isolates, the directional marks and the Arabic letter mark.
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_CONTROL = re.compile(f"[{CONTROLS}]")
_TAG = re.compile(r"(<[^>]*>)")
_PLAIN = {ord(c): f"⟨U+{ord(c):04X}⟩" for c in CONTROLS}


def has_controls(text: str) -> bool:
    return _CONTROL.search(text) is not None


def marked_plain(text: str) -> str:
    """`text` with each control replaced by its marker (plain text: the streaming tail)."""
    return text.translate(_PLAIN) if has_controls(text) else text


def marked_html(markup: str, colour: str) -> str:
    """Rendered HTML with each control in text shown as a muted marker; inside a tag (an
    attribute value) it becomes the plain marker, so no control survives anywhere."""
    if not has_controls(markup):
        return markup
    parts = _TAG.split(markup)  # text is escaped, so every "<" opens a tag
    for number, part in enumerate(parts):
        if number % 2:
            parts[number] = part.translate(_PLAIN)
        else:
            parts[number] = _CONTROL.sub(
                lambda m: f'<span style="color: {colour}; font-size: small;">'
                          f"⟨U+{ord(m.group()):04X}⟩</span>", part)
    return "".join(parts)

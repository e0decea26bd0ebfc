"""Every colour the transcript uses, in one table per theme.

The transcript picks a table whenever the application palette changes,
so a theme switcher (issue 8) only has to set a light or dark QPalette, or call
`Transcript.set_colours(LIGHT or DARK)` directly, and the transcript re-styles itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class TranscriptColours:
    name: str
    dark: bool
    text: str
    muted: str  # timestamps, code language labels
    link: str
    user_bg: str  # the user's bubble
    user_label: str
    assistant_bg: str
    assistant_label: str
    system_bg: str
    system_label: str
    error_bg: str
    error_border: str
    error_text: str
    note: str  # "Stopped." and other state notes
    selected_border: str  # the message chosen with Alt+Up / Alt+Down
    code_bg: str
    code_header_bg: str
    code_border: str
    inline_code_bg: str
    table_border: str
    table_header_bg: str
    quote: str
    pygments_style: str


LIGHT = TranscriptColours(
    name="light", dark=False, text="#1f2328", muted="#6b7280", link="#2563eb",
    user_bg="#e8f0fe", user_label="#1d4ed8",
    assistant_bg="#ffffff", assistant_label="#047857",
    system_bg="#f5f3ff", system_label="#6d28d9",
    error_bg="#fef2f2", error_border="#fca5a5", error_text="#b91c1c",
    note="#b45309", selected_border="#60a5fa",
    code_bg="#f6f8fa", code_header_bg="#eaeef2", code_border="#d0d7de",
    inline_code_bg="#eff1f3", table_border="#d0d7de", table_header_bg="#f3f4f6",
    quote="#57606a", pygments_style="default",
)

DARK = TranscriptColours(
    name="dark", dark=True, text="#e6edf3", muted="#8b949e", link="#58a6ff",
    user_bg="#1f2d45", user_label="#93c5fd",
    assistant_bg="#0d1117", assistant_label="#34d399",
    system_bg="#221d33", system_label="#c4b5fd",
    error_bg="#2d1416", error_border="#7f1d1d", error_text="#fca5a5",
    note="#fbbf24", selected_border="#3b82f6",
    code_bg="#161b22", code_header_bg="#21262d", code_border="#30363d",
    inline_code_bg="#272c33", table_border="#30363d", table_header_bg="#161b22",
    quote="#9da7b3", pygments_style="github-dark",
)


def colours_from_theme(theme: object) -> TranscriptColours:
    """The app theme's (ui/theme.py) role colours over this table's bubbles and code."""
    base = DARK if getattr(theme, "dark", False) else LIGHT
    pick = {field: getattr(theme, source) for field, source in (
        ("text", "text"), ("muted", "muted"), ("link", "link"), ("user_label", "user"),
        ("assistant_label", "assistant"), ("system_label", "system"),
        ("error_text", "error"), ("note", "warning"), ("code_bg", "code_background"),
        ("assistant_bg", "base")) if isinstance(getattr(theme, source, None), str)}
    return replace(base, **pick)

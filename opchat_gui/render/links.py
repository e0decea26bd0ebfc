"""Which links the transcript may follow, and its own action links' prefixes.

Kept apart from the Markdown renderer so the window can start without importing
markdown-it and pygments (they load on the first rendered message).
"""

from __future__ import annotations

SAFE_SCHEMES = ("http:", "https:", "mailto:")
COPY_CODE = "opchat:copy-code/"  # <message id>/<index of the code block in the message>


def safe_url(url: str) -> bool:
    """Only web and mail links ever leave the app (to the system browser)."""
    return url.strip().lower().startswith(SAFE_SCHEMES)

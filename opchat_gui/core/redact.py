"""Secrets out of every text the app writes or shows: logs, errors, stored replies.

Keys are registered once when read, so a key that sneaks in through an exception
message, a URL with credentials or a header dump is caught as well as a logged value.
"""

from __future__ import annotations

import re

MASK = "[redacted]"

_secrets: set[str] = set()
_PATTERNS = (
    (re.compile(r"(?i)(bearer\s+)[^\s\"',]+"), r"\1" + MASK),
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?!bearer)[^\s\"',]+"), r"\1" + MASK),
    (re.compile(r"(?i)(api[_-]?key[\"']?\s*[:=]\s*[\"']?)[^\s\"',]+"), r"\1" + MASK),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"), MASK),
    (re.compile(r"(://[^/\s:@]+:)[^@\s/]+@"), r"\1" + MASK + "@"),  # user:password@host
)


def register_secret(value: str | None) -> None:
    """Remember a secret (an API key, a proxy password) so no log line ever shows it."""
    if value and len(value) >= 4:
        _secrets.add(value)


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text

"""Filling placeholders in translated text: the one convention the app uses.

Translated strings carry Qt's numbered placeholders (%1, %2…), so a translator may
reorder them; `fill` puts the values in. It is plain Python so the Qt-free layers
can use it too, and it fills in one pass, so a value that itself contains "%2" (a
path, a server's message) is never filled again.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"%(\d+)")


def fill(text: str, *args: object) -> str:
    """`text` with %1 replaced by str(args[0]), %2 by str(args[1]), and so on.

    A placeholder without a value (or %0) is left as it is.
    """

    def value(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(args[number - 1]) if 1 <= number <= len(args) else match.group(0)

    return _PLACEHOLDER.sub(value, text)

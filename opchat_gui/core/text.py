"""Text for the user from layers without Qt: placeholders, translation marks, phrases.

Translated strings carry Qt's numbered placeholders (%1, %2…), so a translator may
reorder them; `fill` puts the values in, in one pass, so a value that itself contains
"%2" (a path, a server's message) is never filled again.

The Qt-free layers cannot translate, and should not: a sentence built there (a setting
that was repaired, a value refused) is shown later, perhaps after the language was
loaded. They mark each source string with `QT_TRANSLATE_NOOP` (lupdate finds it by
that name) and return a `Phrase`; the UI renders it in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Translate = Callable[[str, str], str]  # (context, source) -> text; QCoreApplication.translate

_PLACEHOLDER = re.compile(r"%(\d+)")


def fill(text: str, *args: object) -> str:
    """`text` with %1 replaced by str(args[0]), %2 by str(args[1]), and so on.

    A placeholder without a value (or %0) is left as it is.
    """

    def value(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(args[number - 1]) if 1 <= number <= len(args) else match.group(0)

    return _PLACEHOLDER.sub(value, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for translation in `context` without importing Qt; returns it unchanged."""
    return text


def untranslated(_context: str, source: str) -> str:
    return source


@dataclass(frozen=True)
class Phrase:
    """A sentence for the user, kept as its source text and values until it is shown.

    `source` is marked with QT_TRANSLATE_NOOP(context, …) where it is written; an
    argument may itself be a Phrase (a translated word inside a sentence).
    """

    context: str
    source: str
    args: tuple[object, ...] = ()

    def render(self, translate: Translate = untranslated) -> str:
        """The sentence in the language `translate` gives (English without one)."""
        values = [arg.render(translate) if isinstance(arg, Phrase) else arg
                  for arg in self.args]
        return fill(translate(self.context, self.source), *values)

    def __str__(self) -> str:  # logs and tests read the English sentence
        return self.render()

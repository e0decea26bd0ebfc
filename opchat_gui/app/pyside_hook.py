"""PySide's import hook, made cheap: imported before the app's own modules, on purpose.

Why: PySide6 asks of every module imported after it whether its source mentions
"PySide6" (for `from __feature__ import ...`, which this app does not use), and it asks
through `inspect.getsource`, which reads each file through `linecache` and keeps every
line of it: about 3 MB of source text (8 MB of peak RSS) and 20-50 ms of start-up for
the ~220 modules the app imports. Reading the raw bytes answers the same question and
keeps nothing. Modules without a `.py` file (built-in, compiled, frozen) go to PySide's
own check, which answers them without reading anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (loads shibokensupport, whose hook is replaced below)

_MARK = "_opchat_reads_bytes"


def install() -> bool:
    """Replace the hook's source check; True when it is (or already was) in place."""
    feature = sys.modules.get("shibokensupport.feature")
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None:
        return False  # another PySide version: leave it as it is
    if getattr(original, _MARK, False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    setattr(uses_pyside, _MARK, True)
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True


install()

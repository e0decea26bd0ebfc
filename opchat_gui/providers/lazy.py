"""Import the network stack on first use, not at start-up, and warm it up off the GUI
thread once the app is idle.

aiohttp and the SOCKS libraries cost about 130 ms (450 ms on a loaded machine) and 19 MB
to import, and the window needs none of it until the first request (benchmarks B3 and
B4 measure start-up). Loading them on the first Enter froze the window for that long
(benchmarks/b9_latency.py), so `preload` imports them on a worker thread beforehand.

Why a stand-in object rather than importlib's LazyLoader: the stand-in leaves the import
itself to Python's import system, whose per-module locks make a warm-up thread and the
GUI thread importing at the same moment safe (the later one waits for the first);
LazyLoader on Python 3.11 could run a module's body twice in that race.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
import time
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

NETWORK = ("aiohttp", "aiohttp_socks", "python_socks")


class _Deferred(ModuleType):
    """Stands in for module `name` until one of its attributes is used."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_deferred_name"] = name

    def __getattr__(self, attr: str) -> Any:  # only what the instance does not hold yet
        module = importlib.import_module(self.__dict__["_deferred_name"])
        self.__dict__.update(module.__dict__)  # later uses are plain attribute reads
        return getattr(module, attr)


def lazy_import(name: str) -> ModuleType:
    """The module `name`, imported only when one of its attributes is first used."""
    if name in sys.modules:
        return sys.modules[name]
    if importlib.util.find_spec(name) is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return _Deferred(name)


def preload(names: tuple[str, ...] = NETWORK) -> float:
    """Import `names` now (on any thread); returns the seconds it took."""
    started = time.perf_counter()
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError as exc:  # the first real use reports it where it matters
            log.warning("could not preload %s: %s", name, exc)
    return time.perf_counter() - started

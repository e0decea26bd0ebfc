"""Importing the app is cheap: PySide's import hook answers "does this module use PySide6?"
without keeping the source, and the cycle collector waits until the imports are done."""

from __future__ import annotations

import linecache
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import opchat_gui.app  # noqa: F401  (installs the hook, as every start does)
from opchat_gui.app import pyside_hook


def run_probe(probe: str) -> list[str]:
    """What a fresh interpreter running `probe` printed, word by word (offscreen)."""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return done.stdout.split()


@pytest.fixture
def two_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    (tmp_path / "hook_probe_qt.py").write_text("import PySide6.QtCore\nVALUE = 1\n")
    (tmp_path / "hook_probe_plain.py").write_text("VALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "hook_probe_qt", "hook_probe_plain"
    for name in ("hook_probe_qt", "hook_probe_plain"):
        sys.modules.pop(name, None)


def test_modules_are_classified_as_pyside_did_and_their_source_is_not_kept(
        two_modules: tuple[str, str]) -> None:
    feature = sys.modules["shibokensupport.feature"]
    assert pyside_hook.install()  # already in place: installing again changes nothing
    qt_name, plain_name = two_modules
    qt_module = __import__(qt_name)  # the import statement's way: PySide hooks __import__
    plain_module = __import__(plain_name)
    assert feature.pyside_feature_dict[qt_name] == 0  # switchable: it uses PySide6
    assert feature.pyside_feature_dict[plain_name] == -1  # ignored
    assert qt_module.__file__ not in linecache.cache
    assert plain_module.__file__ not in linecache.cache


def test_a_module_without_a_source_file_gets_pysides_own_answer() -> None:
    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside(sys) is False  # built in: PySide's check, no file read


def test_starting_the_app_keeps_no_module_source_in_memory() -> None:
    """A fresh interpreter importing the app as `opchat-gui` does: of the ~220 modules
    it imports, none leaves its source behind (without the hook: 216 files, 3 MB)."""
    probe = ("import linecache, opchat_gui.app.main\n"
             "print(len([n for n in linecache.cache if n.endswith('.py')]),"
             " len([n for n in linecache.cache if 'opchat_gui' in n]))")
    printed = run_probe(probe)
    kept, ours = map(int, printed)
    assert ours == 0
    assert kept < 10  # the few PySide reads itself while it loads, before the hook


def test_the_collector_waits_for_the_imports_and_then_runs_as_before() -> None:
    """Before: about 90 collections while the app imported, none of them finding garbage
    worth it; now none, and the collector is on again for whoever imported the app."""
    probe = ("import gc\n"
             "runs = []\n"
             "gc.callbacks.append(lambda phase, info: runs.append(phase))\n"
             "import opchat_gui.app.main\n"
             "print(runs.count('start'), gc.isenabled())")
    printed = run_probe(probe)
    collections, enabled = printed
    assert enabled == "True"
    assert int(collections) < 5  # Python's own start-up and PySide's, before the pause


def test_the_markdown_and_highlighting_libraries_load_after_the_first_paint() -> None:
    """The window's first paint needs neither (the transcript warms them up once it is
    shown); a module-level import anywhere on the way pulls them into start-up (B3)."""
    probe = ("import sys, opchat_gui.app.main\n"
             "print(' '.join(sorted({n.split('.')[0] for n in sys.modules}"
             " & {'markdown_it', 'pygments', 'mdit_py_plugins', 'aiohttp'})) or '-')")
    printed = run_probe(probe)
    assert printed == ["-"]


def test_the_first_frame_is_built_and_painted_without_the_rest_of_the_app(tmp_path) -> None:
    """Start-up's first step (app/frame.py) shows the window with its list before the
    event loop, the chat and provider services, rendering and the history API load; one
    module-level import on the way would pull them back in front of the first paint."""
    probe = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from opchat_gui.app.launch import main\n"
        "from opchat_gui.app.cli import parse_args\n"
        "from opchat_gui.app.frame import open_frame\n"
        f"frame = open_frame(parse_args(['--data-dir', {str(tmp_path / 'data')!r}]))\n"
        "frame.show()\n"
        "assert frame.window.isVisible()\n"
        "names = set(sys.modules)\n"
        "heavy = {'asyncio', 'qasync', 'markdown_it', 'pygments', 'aiohttp', 'ssl',\n"
        "         'opchat_gui.chat', 'opchat_gui.providers', 'opchat_gui.render',\n"
        "         'opchat_gui.store.history', 'opchat_gui.ui.transcript.view',\n"
        "         'PySide6.QtNetwork', 'logging.handlers', 'importlib.resources',\n"
        "         'opchat_gui.core.messages'}\n"
        "print(' '.join(sorted(n for n in names if n in heavy or\n"
        "      n.split('.')[0] in heavy or any(n.startswith(h + '.') for h in heavy))) or '-')\n")
    printed = run_probe(probe)
    assert printed == ["-"]

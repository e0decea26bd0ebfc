"""The command line, and the dialog for a start-up that must stop (before or after the
window exists). Light: the first step of start-up (launch.py) uses both."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from opchat_gui import __version__


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="opchat-gui",
        description="A fast, keyboard-driven chat app for AI Engine sites.",
    )
    parser.add_argument("--data-dir", metavar="DIR",
                        help="keep all history, settings and logs under DIR")
    parser.add_argument("--url", metavar="URL",
                        help="the AI Engine site to talk to (default: https://opchatgpts.net)")
    parser.add_argument("--demo", action="store_true",
                        help="chat with a built-in local demo server; no network needed")
    parser.add_argument("--verbose", action="store_true",
                        help="also write the log (secrets redacted) to stderr")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open the window over a temporary data dir, chat once with the "
                             "demo server, save, quit, then run a tool server; exit 0 when "
                             "all of it worked")
    parser.add_argument("--version", action="version", version=f"opchat-gui {__version__}")
    return parser.parse_args(argv)


def refuse(text: str, title: str | None = None) -> None:
    """A start-up the app must not continue (a newer history file): say so in a dialog."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, title or QCoreApplication.translate(
        "Startup", "opchat-gui cannot open the history"), text)
    box.exec()


def already_running(text: str, *, woke: bool) -> None:
    """Another instance has the data folder: say so, in a dialog too if it did not wake."""
    print(text, file=sys.stderr)
    if not woke:
        refuse(text, QCoreApplication.translate("Startup", "opchat-gui is already running"))

"""The program's entry point (`opchat-gui`, `python -m opchat_gui`): start-up in two steps.

The first step imports only what the window's first paint needs and shows it
(frame.py); the second imports the rest, runs the qasync loop and completes the same
window (app.main). So the window is up in about the time a bare Qt window takes, and
the app's own modules, asyncio and qasync load behind it (README, "Where start-up time
goes").
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from opchat_gui import __version__, resources
from opchat_gui.app.cli import already_running, parse_args
from opchat_gui.app.frame import Frame, open_frame
from opchat_gui.app.single_instance import AlreadyRunning


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("opchat-gui")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(resources.DESKTOP_ID)  # Wayland matches the window to the entry
    icon = QIcon()
    for path in resources.icon_files():
        icon.addFile(str(path))
    app.setWindowIcon(icon)
    frame: Frame | None = None
    if not args.smoke_test:  # the smoke test starts over a temporary folder of its own
        try:
            frame = open_frame(args)
        except AlreadyRunning as exc:
            already_running(str(exc), woke=exc.woke)
            return 0
        frame.show()
    from opchat_gui.app import main as program  # the second step: all the rest

    return program.run_main(args, frame)

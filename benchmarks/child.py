"""A child process for B3/B4: a bare PySide6 window, or the real app, started as a user
would; prints "shown" at the first paint of the window, then a JSON line and quits.

Both are watched the same way, from outside: an event filter on the QApplication (made
here, before the app's own entry point reuses it) notes the first Paint event of the
top-level window named "mainWindow". The app's modules are imported by its entry point
only, as `opchat-gui` does (start-up shows the window before most of them load)."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser, QWidget

WINDOW_NAME = "mainWindow"  # the app's MainWindow sets this object name too


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class FirstPaint(QObject):
    """Calls `then(window)` once, after the first Paint of the main window is drawn.

    Installed on the QApplication until the window shows up (named, at its first event),
    then on the window alone: a Python filter on every event of every widget would cost
    the app, which has many more widgets, more than the bare window."""

    def __init__(self, app: QApplication, then: Callable[[QWidget], None]) -> None:
        super().__init__()
        self.app = app
        self.then = then
        self.window: QMainWindow | None = None
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.window is None:
            if not (isinstance(watched, QMainWindow) and watched.objectName() == WINDOW_NAME):
                return False
            self.window = watched
            self.app.removeEventFilter(self)
            watched.installEventFilter(self)
        if not self.done and watched is self.window and event.type() == QEvent.Type.Paint:
            self.done = True
            print("shown", flush=True)
            window = self.window
            window.removeEventFilter(self)
            QTimer.singleShot(0, lambda: self.then(window))
        return False


def bare() -> int:
    app = QApplication(sys.argv[:1])
    watch = FirstPaint(app, lambda _window: finish())
    app.installEventFilter(watch)
    window = QMainWindow()
    window.setObjectName(WINDOW_NAME)
    window.setCentralWidget(QTextBrowser())
    window.resize(1100, 720)
    window.show()

    def finish() -> None:
        print(json.dumps({"peak_rss_mb": _rss_mb()}), flush=True)
        app.quit()

    return app.exec()


def real_app(data_dir: str, wait_loaded: bool) -> int:
    app = QApplication(sys.argv[:1])
    started = time.perf_counter()

    def shown(window: QWidget) -> None:
        if not wait_loaded:
            finish(window)
            return
        poll(window)

    def poll(window: QWidget) -> None:
        """B4: once start-up's second step has completed the window and opening the
        conversation has settled."""
        transcript = getattr(window, "transcript", None) if getattr(
            window, "complete", False) else None
        if transcript is not None and transcript.settled:
            transcript.document().documentLayout().documentSize()
            transcript.viewport().repaint()
            finish(window)
        else:
            QTimer.singleShot(5, lambda: poll(window))

    def finish(window: QWidget) -> None:
        if not getattr(window, "complete", False):  # the frame: close once it is complete
            QTimer.singleShot(5, lambda: finish(window))
            return
        transcript = getattr(window, "transcript", None)
        model = getattr(window, "model", None)
        print(json.dumps({"peak_rss_mb": _rss_mb(),
                          "messages_shown": len(transcript.order) if transcript else 0,
                          "list_rows": model.rowCount() if model is not None else 0,
                          "load_seconds": time.perf_counter() - started}), flush=True)
        window.close()

    watch = FirstPaint(app, shown)
    app.installEventFilter(watch)
    from opchat_gui.app.launch import main  # the entry point, as `opchat-gui` starts

    return main(["--data-dir", data_dir])


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        raise SystemExit(bare())
    raise SystemExit(real_app(sys.argv[2], wait_loaded="--loaded" in sys.argv))

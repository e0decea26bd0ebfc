"""A child process for B3/B4: a bare PySide6 window, or the real app, started as a user
would; prints "shown" once the window is exposed, then a JSON line and quits."""

from __future__ import annotations

import json
import resource
import sys
import time


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTextBrowser())
    window.resize(1100, 720)
    window.show()

    def done() -> None:
        print("shown", flush=True)
        print(json.dumps({"peak_rss_mb": _rss_mb()}), flush=True)
        app.quit()

    QTimer.singleShot(0, done)
    return app.exec()


def real_app(data_dir: str, wait_loaded: bool) -> int:
    import asyncio

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from opchat_gui.app import main as app_module

    original = app_module.start

    async def start(args: object) -> object:
        session = await original(args)  # type: ignore[arg-type]
        window = session.window
        started = time.perf_counter()

        def shown() -> None:
            print("shown", flush=True)
            if not wait_loaded:
                finish()
                return
            poll()

        def poll() -> None:
            transcript = window.transcript
            if transcript.settled:
                transcript.document().documentLayout().documentSize()
                transcript.viewport().repaint()
                finish()
            else:
                QTimer.singleShot(5, poll)

        def finish() -> None:
            print(json.dumps({"peak_rss_mb": _rss_mb(),
                              "messages_shown": len(window.transcript.order),
                              "load_seconds": time.perf_counter() - started}), flush=True)
            window.close()

        QTimer.singleShot(0, shown)
        return session

    app_module.start = start  # type: ignore[assignment]
    QApplication.instance() or QApplication(sys.argv[:1])
    del asyncio
    return app_module.main(["--data-dir", data_dir])


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        raise SystemExit(bare())
    raise SystemExit(real_app(sys.argv[2], wait_loaded="--loaded" in sys.argv))

"""Run by test_crash.py in a subprocess: the real app, a message typed and sent, then it waits
to be killed. Not a test module (no test_ prefix)."""

from __future__ import annotations

import asyncio
import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opchat_gui.app.event_loop import AppEventLoop
from opchat_gui.app.main import parse_args, start


def main() -> None:
    data_dir, url, text = sys.argv[1:4]
    app = QApplication([])
    loop = AppEventLoop(app)
    asyncio.set_event_loop(loop)

    async def chat() -> None:
        session = await start(parse_args(["--data-dir", data_dir, "--url", url]))
        QTest.keyClicks(session.window.composer, text)
        QTest.keyClick(session.window.composer, Qt.Key.Key_Return)
        print("sent", flush=True)
        await asyncio.sleep(3600)

    loop.run_until_complete(chat())


if __name__ == "__main__":
    main()

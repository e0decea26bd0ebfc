"""Run by test_tool_calls.py in a subprocess: the real app, a message sent whose reply calls
a slow tool (always allowed), then the tool server's pid printed; it waits to be killed.
With a fourth argument "starting", the pid is printed as soon as the server's process
exists (a server that hangs while starting). Not a test module (no test_ prefix)."""

from __future__ import annotations

import asyncio
import json
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
    starting = sys.argv[4:5] == ["starting"]
    app = QApplication([])
    loop = AppEventLoop(app)
    asyncio.set_event_loop(loop)

    async def chat() -> None:
        session = await start(parse_args(["--data-dir", data_dir, "--url", url]))
        entry = session.providers.save({"name": "Tools", "kind": "openai", "url": url,
                                        "model": "m"})
        session.providers.set_default(entry.id)
        QTest.keyClicks(session.window.composer, text)
        QTest.keyClick(session.window.composer, Qt.Key.Key_Return)
        host = session.service.tools.host
        assert host is not None
        while starting:
            process = host.connection("test")._process
            if process is not None and process.pid is not None:
                print(json.dumps({"server": process.pid}), flush=True)
                await asyncio.sleep(3600)
            await asyncio.sleep(0.05)
        while True:
            messages = session.service.messages(session.window.current_id or 0)
            running = [m for m in messages if m.role == "tool" and "decision" in m.meta]
            pid = host.connection("test").pid
            if running and pid is not None:
                print(json.dumps({"server": pid}), flush=True)
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(3600)

    loop.run_until_complete(chat())


if __name__ == "__main__":
    main()

"""A child process for the attachments SIGKILL test: attaches file after file (each a new
blob and row) and sends a message every second file, until it is killed.

    python -m tests.helpers.attach_forever DATA_DIR URL TAG

Prints `ATTACHED <name>` once attach() has returned (blob and row on disk) and
`SENT <n>` once send() has returned. It never exits on its own: the test kills it.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication

from opchat_gui.app.event_loop import AppEventLoop
from opchat_gui.chat import ChatService, StreamTarget
from opchat_gui.providers import Opchatgpts
from opchat_gui.store.recovery import open_history


async def main(data_dir: Path, url: str, tag: str) -> None:
    history = open_history(data_dir / "history.sqlite3", data_dir / "backups").history
    history.recover_interrupted()
    conversation = history.create_conversation()
    service = ChatService(history, lambda _c: StreamTarget(Opchatgpts, options={"url": url}))
    n = 0
    while True:
        # ~150 KB of text unique to this file: long enough to be killed mid-write.
        text = "".join(f"{tag} line {n}.{i} of an attached log file\n" for i in range(4000))
        name = f"{tag}-{n}.log"
        await service.files.attach(conversation.id, name, text.encode())
        print(f"ATTACHED {name}", flush=True)
        if n % 2:
            while service.is_streaming(conversation.id):
                await asyncio.sleep(0.01)
            if not service.send(conversation.id, f"{tag} message {n}"):
                raise SystemExit("send failed")
            print(f"SENT {n}", flush=True)
        n += 1


if __name__ == "__main__":
    app = QCoreApplication(sys.argv[:1])
    loop = AppEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))

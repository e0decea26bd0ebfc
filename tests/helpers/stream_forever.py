"""A child process for the SIGKILL test: sends message after message, streaming each reply.

    python -m tests.helpers.stream_forever DATABASE URL TAG

Prints `SENT <text>` once send() has returned (the message is committed), and
`DONE <text>` when its reply has finished. It never exits on its own: the test kills it.
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


async def main(database: Path, url: str, tag: str) -> None:
    history = open_history(database, database.parent / "backups").history
    history.recover_interrupted()
    conversation = history.create_conversation()
    service = ChatService(history, lambda _c: StreamTarget(Opchatgpts, options={"url": url}))
    finished = asyncio.Event()
    service.streamingChanged.connect(lambda _cid, on: None if on else finished.set())
    n = 0
    while True:
        text = f"{tag} message {n}"
        finished.clear()
        if not service.send(conversation.id, text):
            raise SystemExit(f"send failed for {text}")
        print(f"SENT {text}", flush=True)
        await finished.wait()
        print(f"DONE {text}", flush=True)
        n += 1


if __name__ == "__main__":
    app = QCoreApplication(sys.argv[:1])
    loop = AppEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))

"""B7: switching branches redraws from the fork down only, so its cost does not grow with
the conversation's length (issue 13: ≤ 50 ms in a 1,000-message conversation).

Two conversations, of 100 and of 1,000 messages, each with two forks: the last reply has
a sibling (a regenerate), and a user message 10 messages from the end has a sibling
whose branch is 10 messages long too (an edit, followed by a talk). The window is real:
each switch goes through MainWindow.switch_branch, the chat service (the tree read from
SQLite, the active leaf written) and the transcript's redraw, then Qt's event processing
(layout); the medians of the repeats are printed as JSON, the 1,000 beside the 100.
Usage: python -m benchmarks.b7_branches [--repeats R] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from opchat_gui.chat import ChatService, StreamTarget
from opchat_gui.config.settings import Settings
from opchat_gui.providers import Opchatgpts
from opchat_gui.store import History
from opchat_gui.ui.main_window import MainWindow
from opchat_gui.ui.theme import ThemeManager

TARGET_MS = 50.0
BRANCH = 10  # messages below the edit fork, in each of its branches
REPLY = """Here is **bold** text, `inline code` and a list:

- one
- two

```python
def greet(name: str) -> str:
    return f"Hello, {name}!"
```
"""


def build(history: History, messages: int) -> tuple[int, int, int]:
    """A conversation of `messages` on show; (its id, the last reply, the edit fork)."""
    conversation = history.create_conversation(f"{messages} messages")
    cid = conversation.id
    fork: int | None = None
    for number in range(messages // 2):
        user = history.add_message(cid, "user", f"Question {number}?")
        if number == (messages - BRANCH) // 2:
            fork = user.id
        history.add_message(cid, "assistant", REPLY)
    assert fork is not None
    leaf = history.active_path(cid)[-1]
    other = history.message(fork)
    assert other is not None
    parent = other.parent_id
    for number in range(BRANCH // 2):  # the edit's branch, as long as the original's tail
        user = history.add_message(cid, "user", f"Edited {number}?", parent_id=parent)
        parent = history.add_message(cid, "assistant", REPLY, parent_id=user.id).id
    history.set_active_leaf(cid, leaf)
    last = history.message(leaf)
    assert last is not None
    history.add_message(cid, "assistant", REPLY + "\nregenerated", parent_id=last.parent_id)
    return cid, history.active_path(cid)[-1], fork


def timed(app: QApplication, window: MainWindow, message_id: int, delta: int,
          cpu: list[float]) -> float:
    """Wall time of one switch; its CPU time (less swayed by a loaded machine) goes to
    `cpu`."""
    start, start_cpu = time.perf_counter(), time.process_time()
    window.switch_branch(message_id, delta)
    app.processEvents()
    cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start


def measure(app: QApplication, window: MainWindow, service: ChatService, cid: int,
            last: int, fork: int, repeats: int) -> dict[str, float]:
    window.open_conversation(cid)
    window.transcript.load_all()
    app.processEvents()
    shown = len(window.transcript.order)
    reply: list[float] = []
    edit: list[float] = []
    cpu: list[float] = []
    for _ in range(repeats):
        reply.append(timed(app, window, last, -1, cpu))  # to the older reply
        older = service.path(cid)[-1]
        reply.append(timed(app, window, older, 1, cpu))  # and back
        edit.append(timed(app, window, fork, 1, cpu))  # to the edited branch
        edited = service.path(cid)[len(service.path(cid)) - BRANCH]
        edit.append(timed(app, window, edited, -1, cpu))  # and back
    assert len(window.transcript.order) == shown  # the same length on show throughout
    return {"shown": shown, "reply_ms": statistics.median(reply) * 1000,
            "edit_ms": statistics.median(edit) * 1000,
            "cpu_ms": statistics.median(cpu) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="small sizes, one run")
    args = parser.parse_args()
    sizes = (20, 60) if args.quick else (100, 1000)
    repeats = 1 if args.quick else args.repeats
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        history = History.open(Path(folder) / "h.sqlite3")
        built = [build(history, size) for size in sizes]
        service = ChatService(history, lambda _c: StreamTarget(Opchatgpts))
        themes = ThemeManager("light")
        themes.apply()
        window = MainWindow(service, settings=Settings(), themes=themes)
        window.resize(1000, 800)
        window.show()
        results = [measure(app, window, service, *b, repeats) for b in built]
        window.close()
        themes.close()
        history.close()
    small, large = results
    worst = max(large["reply_ms"], large["edit_ms"])
    print(json.dumps({
        "benchmark": "B7 branch switch",
        "messages_small": small["shown"], "messages_large": large["shown"],
        "reply_switch_ms_small": round(small["reply_ms"], 2),
        "reply_switch_ms_large": round(large["reply_ms"], 2),
        "edit_switch_ms_small": round(small["edit_ms"], 2),
        "edit_switch_ms_large": round(large["edit_ms"], 2),
        "large_over_small": round(worst / max(small["reply_ms"], small["edit_ms"]), 2),
        "switch_cpu_ms_small": round(small["cpu_ms"], 2),
        "switch_cpu_ms_large": round(large["cpu_ms"], 2),
        "target_ms": TARGET_MS,
        "met": {"switch_at_most_50ms_large": worst <= TARGET_MS},
    }))


if __name__ == "__main__":
    main()

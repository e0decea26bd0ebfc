"""How long a live theme switch takes on a long conversation, against opening it.

Opening a conversation is the baseline, taken in the same run: a switch should cost
about one open (each shown message is re-styled once), never grow per chunk.
Prints JSON. Usage: python -m benchmarks.theme_switch [--pairs N] [--repeats R] [--quick]
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

REPLY = """Here is **bold** text, `inline code` and a list:

- one
- two

```python
def greet(name: str) -> str:
    return f"Hello, {name}!"
```

| a | b |
|---|---|
| 1 | 2 |
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run")
    args = parser.parse_args()
    if args.quick:
        args.pairs, args.repeats = 5, 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        history = History.open(Path(folder) / "h.sqlite3")
        conversation = history.create_conversation("bench")
        for number in range(args.pairs):
            history.add_message(conversation.id, "user", f"Question {number}?")
            history.add_message(conversation.id, "assistant", REPLY)
        service = ChatService(history, lambda _c: StreamTarget(Opchatgpts))
        themes = ThemeManager("light")
        themes.apply()
        window = MainWindow(service, settings=Settings(), themes=themes)
        window.show()
        opens, switches = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            window.open_conversation(conversation.id)
            app.processEvents()
            opens.append(time.perf_counter() - start)
            for mode in ("dark", "light"):
                start = time.perf_counter()
                themes.set_mode(mode)
                app.processEvents()
                switches.append(time.perf_counter() - start)
        shown = window.transcript.document().blockCount()
        window.close()
        themes.close()
        history.close()
    open_ms = statistics.median(opens) * 1000
    switch_ms = statistics.median(switches) * 1000
    print(json.dumps({"benchmark": "theme_switch", "pairs": args.pairs, "blocks_shown": shown,
                      "open_ms": round(open_ms, 1), "switch_ms": round(switch_ms, 1),
                      "switch_over_open": round(switch_ms / open_ms, 2)}))


if __name__ == "__main__":
    main()

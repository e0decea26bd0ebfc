"""The program: the entry point and start-up's two steps (launch, frame, main), command
line, QApplication and qasync loop, wiring, single instance, logs, translations and the
smoke test. May import every other package; nothing imports it.

Importing the app makes some 300,000 objects and no garbage, so the cycle collector is
paused until `main`'s imports are done (it ran about 90 times, 6% of the import time; in
a start from `launch`, that is the end of the second step's imports), and PySide's import
hook is made cheap first (pyside_hook)."""

import gc

COLLECTING = gc.isenabled()  # as the importer had it; main.py puts it back
gc.disable()

from opchat_gui.app import pyside_hook  # noqa: E402, F401  (before the app's modules)

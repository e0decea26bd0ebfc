"""The program: command line, QApplication and qasync loop, wiring, single instance, logs,
translations and the smoke test. May import every other package; nothing imports it."""

from opchat_gui.app import pyside_hook  # noqa: F401  (before the app's modules: they import cheaper)

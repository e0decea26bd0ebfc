"""The program: command line, QApplication and qasync loop, wiring, single instance, logs,
translations and the smoke test. May import every other package; nothing imports it."""

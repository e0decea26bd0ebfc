"""opchat-gui: a fast, keyboard-driven desktop chat app."""

__version__ = "0.1.0"

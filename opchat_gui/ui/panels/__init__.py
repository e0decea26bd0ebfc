"""Overlays over the main window: help, switcher, search, find bar, rename, and the host
that keeps one open at a time."""

"""Overlays over the main window: help, switcher, search, find bar, rename."""

"""The Qt face of the settings store: `changed(key, value)` as a signal.

config/ holds no Qt, so Settings tells plain-Python observers of each change. Widgets
want a signal instead: a connection to a signal ends when the widget is deleted, while
a plain callback would outlive it and call into a deleted object.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QObject, Signal

from opchat_gui.config.settings import Settings


class SettingsSignal(QObject):
    changed = Signal(str, object)  # key, new value


_SIGNALS: weakref.WeakKeyDictionary[Settings, SettingsSignal] = weakref.WeakKeyDictionary()


def settings_signal(settings: Settings) -> SettingsSignal:
    """The one signal for `settings`, made on first use; it lives as long as the store."""
    signal = _SIGNALS.get(settings)
    if signal is None:
        signal = _SIGNALS[settings] = SettingsSignal()
        settings.observe(signal.changed.emit)
    return signal

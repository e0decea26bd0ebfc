"""Start-up's first step: the window's frame, shown before most of the app is imported.

What the first paint needs and nothing more: the paths, the single-instance lock,
settings, translations and theme, and the window with its real conversation list (read
with `store.glance`, the history not opened yet), header, composer and menus. The rest
(the log, asyncio and qasync, the history opened and checked, the chat and provider
services, the transcript) comes in `app.main.start`, which completes this same window.
Keys typed in between are held and given to the composer after (ui/input_hold.py).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from opchat_gui.app import i18n
from opchat_gui.app.single_instance import SingleInstance
from opchat_gui.config.paths import AppPaths
from opchat_gui.config.settings import Settings
from opchat_gui.core.text import fill
from opchat_gui.store.glance import glance
from opchat_gui.ui.main_window import MainWindow
from opchat_gui.ui.theme import ThemeManager

GEOMETRY_KEY = "window/geometry"
LAST_CONVERSATION_KEY = "window/last_conversation"
FIRST_PAINT_WAIT_MS = 1000  # a window that has not painted by then is shown as it comes


@dataclass
class Frame:
    """What the first step made, for `app.main.start` to complete (or undo)."""

    paths: AppPaths
    settings: Settings
    translations: i18n.Installed
    themes: ThemeManager
    instance: SingleInstance
    window: MainWindow
    newer: bool = False  # the history is of a newer version: the start refuses it

    def show(self) -> None:
        """Show the frame and let it paint once, holding what is typed meanwhile. Not
        for a history the start will refuse: its dialog comes instead of the window."""
        if self.newer:
            return
        self.window.show()
        self.window.hold_input()  # on its QWindow, made by show(); no event ran since
        self.window.activateWindow()
        self.window.sidebar.lay_out_now()  # no event turns after the paint until step two
        wait_for_paint(self.window, FIRST_PAINT_WAIT_MS)

    def discard(self) -> None:
        """Undo the first step: the start failed (a history it must refuse)."""
        self.window.hold.release(None)  # no window to type into
        self.window.hide()
        self.window.deleteLater()
        let_go(self.themes, self.translations, self.instance)


def let_go(themes: ThemeManager, translations: i18n.Installed,
           instance: SingleInstance | None) -> None:
    """Undo what the first step set up app-wide: the theme's watch, the translators and
    the single-instance lock (a failed start, or the session's close)."""
    themes.close()
    app = QApplication.instance()
    if app is not None:
        i18n.uninstall(app, translations)
    if instance is not None:
        instance.release()


def open_frame(args: argparse.Namespace) -> Frame:
    """The first step; AlreadyRunning when another instance has this data folder."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "open_frame() needs a QApplication"
    app.setQuitOnLastWindowClosed(False)  # app.main.run decides when to quit, after saving
    paths = AppPaths.resolve(args.data_dir)
    paths.ensure()
    instance = SingleInstance(paths.data)
    # AlreadyRunning: the running window was asked to come forward. The socket that later
    # launches ask through opens in the second step (QtNetwork is not needed to paint).
    instance.acquire(listen=False)
    settings = Settings.load(paths.settings)  # its notices are logged by the second step
    translations = i18n.install(app, settings["language"])
    themes = ThemeManager(settings["theme"])
    themes.apply()
    seen = glance(paths.database, (GEOMETRY_KEY, LAST_CONVERSATION_KEY))
    last = seen.state.get(LAST_CONVERSATION_KEY, "")
    # --demo: the banner's place and words now, its server's address once it runs.
    window = MainWindow(None, settings=settings, themes=themes,
                        keys_file=paths.config / "keys.json",
                        demo_note=demo_note("…") if args.demo else "",
                        conversations=seen.conversations,
                        current=int(last) if last.isdigit() else None)
    geometry = seen.state.get(GEOMETRY_KEY)
    if geometry:
        window.restoreGeometry(QByteArray.fromHex(geometry.encode()))
    return Frame(paths, settings, translations, themes, instance, window, newer=seen.newer)


def demo_note(url: str) -> str:
    return fill(QCoreApplication.translate(
        "App", "Demo mode: replies come from the built-in local server at %1, not from a "
        "real model."), url)


class _Painted(QObject):
    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.loop.quit()  # once this paint is done and drawn
        return False


def wait_for_paint(window: QObject, timeout_ms: int) -> None:
    """Run the event loop until `window` has painted once, or for `timeout_ms`."""
    loop = QEventLoop()
    watch = _Painted(loop)
    window.installEventFilter(watch)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    window.removeEventFilter(watch)

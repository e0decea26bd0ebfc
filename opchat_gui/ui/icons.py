"""Interface icons: Lucide SVGs (resources/icons/ui, ISC) drawn in the theme's text colour.

The SVGs stroke with `currentColor`; each icon is rendered once per colour and size, on
first use (start-up pays only for the few on screen), and nothing depends on an emoji font.
`ThemedIcons` re-tints the buttons it was given when the theme changes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractButton

from opchat_gui import resources
from opchat_gui.ui.theme import Theme, ThemeManager

# Every icon the interface draws; tests check each one loads.
NAMES = (
    "arrow-down", "check", "chevron-left", "chevron-right", "copy", "ellipsis", "info",
    "loader-circle", "message-square", "moon", "panel-left", "pencil", "pin", "pin-off",
    "plus", "refresh-cw", "search", "send-horizontal", "settings", "sliders-horizontal",
    "square", "sun", "trash-2", "triangle-alert", "x",
)
BUTTON_SIZE = 16  # logical pixels


@cache
def icon_dir() -> Path:
    return resources.folder() / "icons" / "ui"


@cache
def _svg(name: str) -> bytes:
    if name not in NAMES:
        raise KeyError(f"unknown icon {name!r}; add its SVG and list it in NAMES")
    return (icon_dir() / f"{name}.svg").read_bytes()


@cache
def pixmap(name: str, colour: str, size: int) -> QPixmap:
    """`name` drawn `size` device pixels square in `colour` (#rrggbb)."""
    from PySide6.QtSvg import QSvgRenderer  # ~12 ms: paid at the first icon, not at import

    renderer = QSvgRenderer(QByteArray(_svg(name).replace(b"currentColor",
                                                          colour.encode())))
    image = QPixmap(size, size)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


@cache
def icon(name: str, colour: str) -> QIcon:
    """An icon in one colour, drawn once at the buttons' size in device pixels (one SVG
    render per icon at start-up; QIcon scales it for other sizes)."""
    app = QGuiApplication.instance()
    ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
    image = pixmap(name, colour, round(BUTTON_SIZE * ratio))
    image.setDevicePixelRatio(ratio)
    return QIcon(image)


def paint(painter: QPainter, name: str, colour: QColor | str, rect: QRectF) -> None:
    """Draw `name` into `rect` (a delegate's hot path: cached pixmaps, no SVG parsing)."""
    ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
    size = max(1, round(max(rect.width(), rect.height()) * ratio))
    name_colour = colour if isinstance(colour, str) else colour.name()
    painter.drawPixmap(rect, pixmap(name, name_colour, size), QRectF(0, 0, size, size))


class ThemedIcons(QObject):
    """Gives buttons icons in the current theme's text colour and re-tints them on change.

    A button's icon is drawn when the button is first shown: start-up's first frame has
    buttons it keeps hidden (the header's, with no conversation open; the list's reveal
    button), and each SVG drawn cost it about half a millisecond (B3)."""

    def __init__(self, themes: ThemeManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._themes = themes
        self._buttons: list[tuple[QAbstractButton, str]] = []
        self._unshown: dict[QObject, str] = {}  # bound, never shown yet: no icon drawn
        themes.changed.connect(self._retint)

    def icon(self, name: str, role: str = "text") -> QIcon:
        return icon(name, getattr(self._themes.theme, role))

    def bind(self, button: QAbstractButton, name: str) -> None:
        button.setIconSize(QSize(BUTTON_SIZE, BUTTON_SIZE))
        self._buttons.append((button, name))
        if button.isVisible():
            button.setIcon(self.icon(name))
        else:
            self._unshown[button] = name
            button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched in self._unshown:
            name = self._unshown.pop(watched)
            watched.removeEventFilter(self)
            if isinstance(watched, QAbstractButton):
                watched.setIcon(self.icon(name))
        return False

    def _retint(self, theme: Theme) -> None:
        for button, name in self._buttons:
            if button not in self._unshown:
                button.setIcon(icon(name, theme.text))

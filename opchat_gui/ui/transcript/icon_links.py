"""Message actions drawn as icons in the text: an image that is also a link, with a tool
tip, so copy, edit and regenerate read as buttons and need no emoji font.

The image's name says the icon and its colour (`opchat-icon:copy/#59636e`); the view's
loadResource draws it from the Lucide set (ui/icons.py). A theme change rewrites the
messages, and with them the names, so the icons follow the theme.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QImage, QTextCharFormat, QTextImageFormat

from opchat_gui.ui import icons

SCHEME = "opchat-icon:"
SIZE = 16  # logical pixels, as the window's other icon buttons


def icon_link(name: str, colour: str, href: str, tip: str) -> QTextImageFormat:
    """The format of one icon that acts as a link to `href`."""
    fmt = QTextImageFormat()
    fmt.setName(f"{SCHEME}{name}/{colour}")
    fmt.setWidth(SIZE)
    fmt.setHeight(SIZE)
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
    fmt.setAnchor(True)
    fmt.setAnchorHref(href)
    fmt.setToolTip(tip)
    return fmt


def icon_image(resource: str) -> QImage | None:
    """The image a `SCHEME` name stands for; None for any other name."""
    if not resource.startswith(SCHEME):
        return None
    name, _, colour = resource[len(SCHEME):].partition("/")
    if name not in icons.NAMES or not colour.startswith("#"):
        return None
    app = QGuiApplication.instance()
    ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
    image = icons.pixmap(name, colour, round(SIZE * ratio)).toImage()
    image.setDevicePixelRatio(ratio)
    return image

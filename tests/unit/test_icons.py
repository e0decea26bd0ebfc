"""Interface icons: every name loads from the package, in the colour asked for."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QToolButton

from opchat_gui import resources
from opchat_gui.ui import icons
from opchat_gui.ui.theme import DARK, LIGHT, ThemeManager


def painted_colours(image: QImage) -> set[str]:
    """The opaque pixels' colours, to the nearest of a few (premultiplying rounds by one)."""
    found = set()
    for x in range(image.width()):
        for y in range(image.height()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255:
                found.add(QColor(*(round(c / 4) * 4 for c in pixel.getRgb()[:3])).name())
    return found


def near(colour: str) -> str:
    return QColor(*(round(c / 4) * 4 for c in QColor(colour).getRgb()[:3])).name()


def test_every_icon_ships_in_the_package_with_its_licence(qapp):
    folder = icons.icon_dir()
    assert folder.is_relative_to(resources.__file__.rsplit("/", 1)[0])
    assert "ISC License" in (folder / "LICENSE-lucide.txt").read_text()
    shipped = {path.stem for path in folder.glob("*.svg")}
    assert shipped == set(icons.NAMES)  # none missing, none shipped unused


def test_every_icon_draws_in_the_colour_asked_for(qapp):
    for name in icons.NAMES:
        image = icons.pixmap(name, "#cf222e", 48).toImage()
        assert painted_colours(image) == {near("#cf222e")}, name


def test_delegates_paint_icons_at_the_device_size(qapp):
    image = QImage(32, 32, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    icons.paint(painter, "pin", LIGHT.muted, QRectF(8, 8, 16, 16))
    painter.end()
    assert painted_colours(image) == {near(LIGHT.muted)}


def test_bound_buttons_are_retinted_when_the_theme_changes(qapp):
    themes = ThemeManager("light")
    try:
        themed = icons.ThemedIcons(themes)
        button = QToolButton()
        themed.bind(button, "plus")
        button.show()
        assert button.icon().cacheKey() == icons.icon("plus", LIGHT.text).cacheKey()
        themes.set_mode("dark")
        assert button.icon().cacheKey() == icons.icon("plus", DARK.text).cacheKey()
        assert painted_colours(icons.pixmap("plus", DARK.text, 48).toImage()) \
            == {near(DARK.text)}
        button.close()
    finally:
        themes.close()


def test_a_buttons_icon_is_drawn_when_it_is_first_shown_in_the_theme_of_then(qapp):
    """Start-up's first frame keeps some bound buttons hidden: no SVG is drawn for them
    until they show, and then in the theme current at that time."""
    themes = ThemeManager("light")
    try:
        themed = icons.ThemedIcons(themes)
        button = QToolButton()
        themed.bind(button, "pencil")
        assert button.icon().isNull()
        themes.set_mode("dark")  # while hidden
        assert button.icon().isNull()
        button.show()
        assert button.icon().cacheKey() == icons.icon("pencil", DARK.text).cacheKey()
        themes.set_mode("light")
        assert button.icon().cacheKey() == icons.icon("pencil", LIGHT.text).cacheKey()
        button.close()
    finally:
        themes.close()

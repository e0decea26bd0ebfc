"""Icons, desktop entry, metainfo, translations and styles, shipped inside the package.

Found next to this module both in an installed wheel and in the frozen app (the
PyInstaller spec lays them out the same way), so no code asks whether it is frozen. Not
through importlib.resources: its first use cost start-up's first frame 5-10 ms (B3).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

APP_ID = "opchat-gui"  # the command's and the icons' name
DESKTOP_ID = "io.github.opchatgui.OpchatGui"  # the .desktop and metainfo names (reverse DNS)


@cache
def folder() -> Path:
    """Where the resources are: this package's folder."""
    return Path(__file__).resolve().parent


def icon_files() -> list[Path]:
    """The app icon's PNGs, smallest first (resources/icons/hicolor/NxN/apps)."""
    hicolor = folder() / "icons" / "hicolor"
    found = [(int(folder.name.split("x")[0]), folder / "apps" / f"{APP_ID}.png")
             for folder in hicolor.iterdir() if folder.name[0].isdigit()]
    return [path for _size, path in sorted(found) if path.is_file()]

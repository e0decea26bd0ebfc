"""Icons, desktop entry, metainfo, translations and styles, shipped inside the package.

Found with importlib.resources both from a wheel and from the frozen app (the PyInstaller
spec lays them out the same way), so no code asks whether it is frozen.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

APP_ID = "opchat-gui"  # the command's and the icons' name
DESKTOP_ID = "io.github.opchatgui.OpchatGui"  # the .desktop and metainfo names (reverse DNS)


def icon_files() -> list[Path]:
    """The app icon's PNGs, smallest first (resources/icons/hicolor/NxN/apps)."""
    hicolor = Path(str(files(__name__) / "icons" / "hicolor"))
    found = [(int(folder.name.split("x")[0]), folder / "apps" / f"{APP_ID}.png")
             for folder in hicolor.iterdir() if folder.name[0].isdigit()]
    return [path for _size, path in sorted(found) if path.is_file()]

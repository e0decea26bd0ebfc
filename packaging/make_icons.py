"""Make the app icon's PNG sizes from the SVG source, and the .ico and .icns from the PNGs.

    python packaging/make_icons.py            # re-render resources/icons/hicolor/*/apps/*.png
    python packaging/make_icons.py OUT_DIR    # also write OUT_DIR/opchat-gui.{ico,icns}

The PNGs are committed (the wheel and the .deb ship them); the .ico and .icns are build
products made by the spec. Rendering uses Qt's SVG module (already a dependency); the .ico
and .icns are written by Pillow, a build-time dependency only (the `build` extra).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
SVG = HICOLOR / "scalable" / "apps" / "opchat-gui.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / "opchat-gui.png"


def render_pngs() -> list[Path]:
    """Render the SVG at every hicolor size with QtSvg (offscreen; no display needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    written = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = png_path(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"cannot write {path}")
        written.append(path)
    del app
    return written


def build_platform_icons(out_dir: Path) -> dict[str, str]:
    """Write opchat-gui.ico (Windows) and opchat-gui.icns (macOS) from the committed PNGs."""
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    images = {}
    for size in PNG_SIZES:
        with Image.open(png_path(size)) as image:
            images[size] = image.convert("RGBA")
    ico = out_dir / "opchat-gui.ico"
    images[256].save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES if s != 256])
    icns = out_dir / "opchat-gui.icns"
    images[512].save(icns, format="ICNS",
                     append_images=[images[s] for s in ICNS_SIZES if s != 512])
    return {"ico": str(ico), "icns": str(icns)}


def main(argv: list[str]) -> int:
    if argv:
        print(build_platform_icons(Path(argv[0])))
    else:
        for path in render_pngs():
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

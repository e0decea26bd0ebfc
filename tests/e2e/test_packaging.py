"""Packaging: the resources installers ship, --smoke-test, and (slow) the real Linux build.

The slow test builds the frozen app and the .deb with packaging/build.sh as a release does,
runs the frozen --smoke-test, installs the .deb with dpkg, runs the installed
/usr/bin/opchat-gui --smoke-test, and removes the package again. Only the .deb's xz level
differs (1, not 6: about 10% larger, a quarter of the CPU), so its size budget holds for
the release's .deb all the more.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from PIL import Image

from opchat_gui import __version__, resources
from opchat_gui.app.smoke import check_command, unexpected_stderr

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import make_icons  # noqa: E402

DESKTOP = ROOT / "resources" / f"{resources.DESKTOP_ID}.desktop"
METAINFO = ROOT / "resources" / f"{resources.DESKTOP_ID}.metainfo.xml"
ONEDIR_BUDGET = 150 * 1024 * 1024
DEB_BUDGET = 60 * 1024 * 1024


def offscreen_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_icons_are_found_through_the_package_at_every_size():
    files = resources.icon_files()
    sizes = []
    for path in files:
        with Image.open(path) as image:
            sizes.append(image.size)
    assert sizes == [(s, s) for s in make_icons.PNG_SIZES]
    assert all(path.is_relative_to(Path(str(resources.__file__)).parent) for path in files)


def test_ico_and_icns_are_made_from_the_pngs(tmp_path):
    made = make_icons.build_platform_icons(tmp_path)
    with Image.open(made["ico"]) as ico:
        assert ico.format == "ICO"
        assert set(ico.info["sizes"]) >= {(s, s) for s in make_icons.ICO_SIZES}
    with Image.open(made["icns"]) as icns:
        assert icns.format == "ICNS"
        assert (512, 512) in {size[:2] for size in icns.info["sizes"]}


def test_desktop_entry_runs_the_command_with_the_shipped_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    group = entry["Desktop Entry"]
    assert group["Exec"].split()[0] == "opchat-gui" and group["Type"] == "Application"
    assert group["Icon"] == resources.APP_ID
    assert all(path.stem == group["Icon"] for path in resources.icon_files())
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is missing (scripts/test.sh installs "
                    "desktop-file-utils on Debian)")
    done = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_metainfo_validates_with_appstreamcli():
    text = METAINFO.read_text(encoding="utf-8")
    assert f"<id>{resources.DESKTOP_ID}</id>" in text
    assert f'<release version="{__version__}"' in text  # bump the release with the version
    if shutil.which("appstreamcli") is None:
        pytest.skip("appstreamcli is missing (scripts/test.sh installs Debian's appstream)")
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_smoke_test_from_the_source_install_chats_and_saves():
    result = check_command([sys.executable, "-m", "opchat_gui"], timeout=120)
    assert result["smoke_test"] == "ok" and result["frozen"] is False
    assert result["version"] == __version__ and result["reply_chars"] > 100
    # The SDK loaded as the app loads it; the stdlib stdio server listed and ran its tool.
    assert result["tool_server"] == "ok" and result["tools"] == ["echo"]


def test_stderr_allow_list_lets_qt_chatter_through_and_nothing_else():
    assert unexpected_stderr("This plugin does not support propagateSizeHints()\n") == []
    bad = "Traceback (most recent call last):\nqt.qpa.plugin: Could not load the Qt platform"
    assert unexpected_stderr(bad) == bad.splitlines()


def _installed_version() -> str | None:
    done = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", "opchat-gui"],
                          capture_output=True, text=True, check=False)
    return done.stdout.split()[-1] if "install ok installed" in done.stdout else None


@pytest.mark.slow
# The build alone takes 1-2.5 min on a quiet 2-core machine and over 5 min beside other
# work; the suite-wide 300 s limit would fail it for load, not for a defect.
@pytest.mark.timeout(1500)
def test_build_freeze_install_smoke_and_remove(tmp_path):
    if shutil.which("dpkg-deb") is None:
        pytest.skip("not a Debian system: the Linux build makes a .deb with dpkg-deb")
    env = {**offscreen_env(), "PYTHON": sys.executable, "XZ_LEVEL": "1",
           "BUILD_DIR": str(tmp_path / "build"), "DIST_DIR": str(tmp_path / "dist")}
    done = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], env=env,
                          capture_output=True, text=True, check=False, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    onedir, tarball, deb = (Path(line) for line in done.stdout.split()[-3:])
    assert deb.name.startswith(f"opchat-gui_{__version__}_") and deb.suffix == ".deb"

    size = sum(f.lstat().st_size for f in onedir.rglob("*") if not f.is_symlink() and f.is_file())
    assert size <= ONEDIR_BUDGET, f"onedir is {size / 2**20:.1f} MB"
    assert deb.stat().st_size <= DEB_BUDGET, f".deb is {deb.stat().st_size / 2**20:.1f} MB"
    with tarfile.open(tarball) as archive:
        assert "opchat-gui/opchat-gui" in archive.getnames()

    frozen = check_command([str(onedir / "opchat-gui")])
    assert frozen["frozen"] is True and frozen["version"] == __version__
    # The frozen app carries every part of the mcp SDK its client needs (the size trims
    # in the spec must not take one): it loaded the SDK and ran a stdio server's tool.
    assert frozen["tool_server"] == "ok" and frozen["tools"] == ["echo"], frozen

    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True,
                             text=True, check=True).stdout
    for path in ("./opt/opchat-gui/opchat-gui", "./usr/bin/opchat-gui -> "
                 "/opt/opchat-gui/opchat-gui", f"./usr/share/applications/{DESKTOP.name}",
                 f"./usr/share/metainfo/{METAINFO.name}",
                 "./usr/share/icons/hicolor/256x256/apps/opchat-gui.png",
                 "./usr/share/icons/hicolor/scalable/apps/opchat-gui.svg"):
        assert path in listing

    if os.geteuid() != 0:
        pytest.skip("dpkg -i needs root (CI runs as root); the build and frozen app passed")
    if _installed_version() is not None:
        pytest.skip("an opchat-gui package is already installed here; not replacing it")
    subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True, check=True)
    try:
        assert _installed_version() == __version__
        installed = check_command(["/usr/bin/opchat-gui"])
        assert installed["frozen"] is True and installed["tool_server"] == "ok", installed
    finally:
        subprocess.run(["dpkg", "-r", "opchat-gui"], capture_output=True, check=True)
    assert _installed_version() is None and not Path("/usr/bin/opchat-gui").exists()
    assert not Path("/opt/opchat-gui").exists()

#!/usr/bin/env bash
# One command for the Linux release files: the PyInstaller onedir, a .tar.gz of it, and
# the .deb, all in dist/. Uses ./.venv (made with the build extra if missing), e.g.
#   bash packaging/build.sh            # then: ls dist/
# Set PYTHON to build with another interpreter that has `.[build]` installed, and
# BUILD_DIR / DIST_DIR (defaults build/, dist/) to put the scratch files and results elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
if [ ! -x "$PYTHON" ]; then
  python3 -m venv .venv
  PYTHON=.venv/bin/python
  "$PYTHON" -m pip install -q --disable-pip-version-check -e ".[build]"
fi
BUILD_DIR=$(realpath -m "${BUILD_DIR:-build}")
DIST_DIR=$(realpath -m "${DIST_DIR:-dist}")
OPCHAT_BUILD_DIR="$BUILD_DIR" "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$BUILD_DIR/dist" --workpath "$BUILD_DIR/pyinstaller" packaging/opchat-gui.spec
VERSION=$("$PYTHON" -c 'import opchat_gui; print(opchat_gui.__version__)')
mkdir -p "$DIST_DIR"
TARBALL="$DIST_DIR/opchat-gui-$VERSION-linux-$(uname -m).tar.gz"
tar -C "$BUILD_DIR/dist" -czf "$TARBALL" opchat-gui
echo "$BUILD_DIR/dist/opchat-gui"
echo "$TARBALL"
bash packaging/linux/build-deb.sh "$BUILD_DIR/dist/opchat-gui" "$VERSION" "$DIST_DIR"

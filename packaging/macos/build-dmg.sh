#!/usr/bin/env bash
# Build opchat-gui.app with PyInstaller and wrap it in a compressed .dmg with hdiutil:
#   bash packaging/macos/build-dmg.sh            # -> dist/opchat-gui-VERSION-macos-ARCH.dmg
# The .dmg opens to the app beside a link to /Applications, to drag it across.
# The bundle is signed ad hoc (enough for Apple silicon to run it); it is not
# notarized, so the first start needs right-click > Open (see the README).
# Uses ./.venv (with the build extra) unless PYTHON is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
if [ ! -x "$PYTHON" ]; then
  python3 -m venv .venv
  PYTHON=.venv/bin/python
  "$PYTHON" -m pip install -q --disable-pip-version-check ".[build]"
fi
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath build/dist --workpath build/pyinstaller packaging/opchat-gui.spec
APP=build/dist/opchat-gui.app
VERSION=$("$PYTHON" -c 'import opchat_gui; print(opchat_gui.__version__)')
PLIST_VERSION=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" \
  "$APP/Contents/Info.plist")
[ "$PLIST_VERSION" = "$VERSION" ] || { echo "Info.plist says $PLIST_VERSION" >&2; exit 1; }
codesign --force --deep --sign - "$APP"  # ad hoc, over the whole bundle, after BUNDLE
codesign --verify --deep --strict "$APP"

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ditto "$APP" "$STAGE/opchat-gui.app"  # ditto keeps symlinks, modes and signatures
ln -s /Applications "$STAGE/Applications"
mkdir -p dist
DMG="dist/opchat-gui-$VERSION-macos-$(uname -m).dmg"
rm -f "$DMG"
hdiutil create -volname "opchat-gui $VERSION" -srcfolder "$STAGE" -fs HFS+ \
  -format UDZO -imagekey zlib-level=9 -ov "$DMG" >/dev/null
hdiutil verify "$DMG" >/dev/null
echo "$APP"
echo "$DMG"

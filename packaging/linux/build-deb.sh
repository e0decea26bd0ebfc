#!/usr/bin/env bash
# Package a PyInstaller onedir as a .deb with dpkg-deb:
#   bash packaging/linux/build-deb.sh ONEDIR VERSION OUT_DIR
# Installs the app to /opt/opchat-gui, links /usr/bin/opchat-gui, and adds the desktop
# entry, the AppStream metainfo and the hicolor icons. dpkg's triggers (desktop-file-utils,
# hicolor-icon-theme) refresh the menus and icon caches, so no maintainer scripts are needed.
set -euo pipefail
ONEDIR=$(realpath "$1")
VERSION=$2
OUT=$(realpath -m "$3")
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/scripts/system-deps.sh"  # QT_DEBS: the system libraries Qt's xcb plugin loads

ARCH=$(dpkg --print-architecture)
DESKTOP_ID=io.github.opchatgui.OpchatGui
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ROOT="$STAGE/opchat-gui_${VERSION}_${ARCH}"

install -d -m 755 "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin" \
  "$ROOT/usr/share/applications" "$ROOT/usr/share/metainfo"
cp -a "$ONEDIR" "$ROOT/opt/opchat-gui"
chmod -R u+rwX,go+rX,go-w "$ROOT/opt/opchat-gui"
ln -s /opt/opchat-gui/opchat-gui "$ROOT/usr/bin/opchat-gui"
install -m 644 "$REPO/resources/$DESKTOP_ID.desktop" "$ROOT/usr/share/applications/"
install -m 644 "$REPO/resources/$DESKTOP_ID.metainfo.xml" "$ROOT/usr/share/metainfo/"
(cd "$REPO/resources/icons" && find hicolor -name 'opchat-gui.*' -type f) | while read -r icon; do
  install -D -m 644 "$REPO/resources/icons/$icon" "$ROOT/usr/share/icons/$icon"
done

# Depends: what Qt loads from the system (python3-venv is for source installs only);
# the fonts are a recommendation, any fontconfig font works (the app's icons are SVGs;
# the emoji font is for emoji in model output).
depends="libc6 (>= 2.31)"
for deb in "${QT_DEBS[@]}"; do
  case "$deb" in python3-venv|fonts-*) ;; *) depends+=", $deb" ;; esac
done
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: opchat-gui
Version: $VERSION
Architecture: $ARCH
Maintainer: opchat-gui developers <opchat-gui@users.noreply.github.com>
Installed-Size: $(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
Depends: $depends
Recommends: fonts-dejavu-core | fonts-liberation2, fonts-noto-color-emoji, xdg-utils
Section: net
Priority: optional
Description: fast, keyboard-driven desktop chat app for AI chat servers
 opchat-gui chats with WordPress sites running the AI Engine chatbot and with
 OpenAI-compatible servers, local or remote. Replies stream in as they are
 written, every conversation is kept in a local SQLite history, and the whole
 app works from the keyboard. A built-in demo server (--demo) works offline.
CONTROL

mkdir -p "$OUT"
DEB="$OUT/opchat-gui_${VERSION}_${ARCH}.deb"
# xz at dpkg's default level 6 for releases. XZ_LEVEL=1 (the slow test's build) makes a
# .deb about 10% larger (54.1 MB, not 48.6) in a quarter of the CPU (26 s, not 97).
dpkg-deb --root-owner-group -Zxz -z"${XZ_LEVEL:-6}" --build "$ROOT" "$DEB" >/dev/null
echo "$DEB"

#!/usr/bin/env bash
# Regenerate docs/screenshots/ (scripts/screenshots.py says what each shot shows) on a
# virtual X display, so Qt draws with its real xcb platform and fonts, as on a desktop.
#   bash scripts/screenshots.sh [OUT_DIR]
# Installs Xvfb, the fonts and pngquant with apt-get when missing (sudo when not root), like
# scripts/system-deps.sh; leaves nothing running.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/system-deps.sh
source scripts/system-deps.sh
install_system_deps xvfb x11-utils fonts-dejavu pngquant
python=.venv/bin/python
[ -x "$python" ] || python=python3
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 100); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
DISPLAY=$display QT_QPA_PLATFORM=xcb "$python" scripts/screenshots.py "$@"
# 256 colours are plenty for an interface: about a third of the bytes, no visible change.
out=${1:-docs/screenshots}
command -v pngquant >/dev/null && pngquant --force --ext .png --skip-if-larger --strip \
  --quality 80-98 "$out"/*.png || true

# Sourced by run.sh and test.sh: the Debian packages Qt's xcb and offscreen plugins load,
# and python3-venv. Installs only what is missing; uses sudo when not root.
QT_DEBS=(python3-venv libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0
         libxkbcommon-x11-0 libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4
         libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0
         libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core)

# What the packaging tests use on top: PyInstaller needs the shared libpython and strip
# (binutils); appstreamcli and desktop-file-validate check resources/. test.sh asks for
# them; run.sh does not.
BUILD_DEBS=("libpython$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' \
             2>/dev/null || echo 3.11)" binutils appstream desktop-file-utils)

# install_system_deps [EXTRA_DEB...]: QT_DEBS plus any extra packages.
install_system_deps() {
  command -v dpkg >/dev/null || return 0  # not Debian: bring the libraries yourself
  local missing=() pkg
  for pkg in "${QT_DEBS[@]}" "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "Installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

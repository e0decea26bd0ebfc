#!/usr/bin/env bash
# Install opchat-gui into ./.venv (with the system libraries Qt needs) and launch it.
# Arguments go to the app, e.g. `bash scripts/run.sh --demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/system-deps.sh
install_system_deps
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check .
exec .venv/bin/opchat-gui "$@"

#!/usr/bin/env bash
# Install what the tests need (system libraries for Qt and the packaging tools, a venv, the
# test and build extras) and run the whole suite: ruff, the import contracts
# (lint-imports), the type checker (mypy), then pytest. Extra arguments go to pytest.
# CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/system-deps.sh
install_system_deps "${BUILD_DEBS[@]}"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test,build]"
.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache  # the layering in pyproject.toml [tool.importlinter]
.venv/bin/mypy  # strict types on the Qt-free layers, pyproject.toml [tool.mypy]
export QT_QPA_PLATFORM=offscreen
# Two worker processes (CI has two cores): the frozen build, the longest test, runs beside
# the rest instead of after it. PYTEST_WORKERS=0 runs everything in this one process.
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --durations=15 "$@"

#!/usr/bin/env bash
# Install what the tests need (system libraries for Qt and the packaging tools, a venv, the
# test and build extras) and run the whole suite: ruff, the import contracts
# (lint-imports), the type checker (mypy), then pytest. Extra arguments go to pytest.
# CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
# Keep compiled bytecode: else every test worker and every app, server and benchmark the
# tests start compiles the app, the tests (with pytest's assertion rewriting) and each
# package it imports from source again, a second of CPU per process.
unset PYTHONDONTWRITEBYTECODE
. scripts/system-deps.sh
install_system_deps "${BUILD_DEBS[@]}"
[ -x .venv/bin/python ] || python3 -m venv .venv
# uv (from PyPI) resolves and installs the same packages as pip in a tenth of the time:
# parallel downloads, a shared cache, no bytecode compiled up front.
.venv/bin/python -m pip install -q --disable-pip-version-check uv
.venv/bin/uv pip install -q --python .venv/bin/python -e ".[test,build]"
.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache  # the layering in pyproject.toml [tool.importlinter]
.venv/bin/mypy  # strict types on the Qt-free layers, pyproject.toml [tool.mypy]
export QT_QPA_PLATFORM=offscreen
# Two worker processes (CI has two cores): the frozen build, the longest test, runs beside
# the rest instead of after it. PYTEST_WORKERS=0 runs everything in this one process.
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --durations=15 "$@"

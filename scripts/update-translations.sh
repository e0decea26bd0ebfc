#!/usr/bin/env bash
# Regenerate the translations: pyside6-lupdate collects every tr()/translate() string from
# opchat_gui/ into resources/i18n/opchat_gui_<lang>.ts (keeping existing translations), and
# pyside6-lrelease compiles each .ts into the .qm the app loads. Both ship with
# PySide6-Essentials. Then translate the new (unfinished) strings, in Qt Linguist
# (pyside6-linguist) or any editor, and run this again.
#   bash scripts/update-translations.sh          # update .ts and .qm
#   bash scripts/update-translations.sh --check  # only compile; fail if a string is unfinished
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
[ -x "$bin/pyside6-lupdate" ] || bin=$(dirname "$(command -v pyside6-lupdate)")
[ "${1:-}" = "--check" ] || "$bin/python" scripts/gen_keymap_strings.py  # writes ui/keys/keymap_strings.py
sources=$(find opchat_gui -name '*.py' | sort)
for ts in resources/i18n/opchat_gui_*.ts; do
  if [ "${1:-}" != "--check" ]; then
    # shellcheck disable=SC2086
    "$bin/pyside6-lupdate" -silent -no-obsolete -locations none $sources -ts "$ts"
  fi
  "$bin/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done
if grep -l 'type="unfinished"' resources/i18n/*.ts; then
  echo "untranslated strings remain in the files above" >&2
  exit 1
fi

"""Rewrite README.md's shortcut table from the key map (tests/unit/test_keymap_docs.py checks it).

    python scripts/gen_keymap_readme.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opchat_gui.ui.keys.keymap import readme_with_table  # noqa: E402


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    updated = readme_with_table(text)
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
        print("README.md: shortcut table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

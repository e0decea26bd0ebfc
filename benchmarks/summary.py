"""Print the figures a scripts/bench-all.sh run kept, each beside its targets and `met`.

    python -m benchmarks.summary benchmarks/results/<run>

Reads every NAME.json in the folder (one JSON object each, as the benchmarks print) and
shows the keys that say how the run went: `met`, the `targets` (or `target_*` keys) and
the figures those targets are about. A file that is not JSON (a benchmark that crashed)
is named with the last lines of its log, so a failed run is never summarised as passed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def target_names(result: dict[str, Any]) -> dict[str, Any]:
    """Targets, however a benchmark names them: a `targets` object or `target_*` keys."""
    targets = dict(result.get("targets") or {})
    for key, value in result.items():
        if key.startswith("target_"):
            targets[key.removeprefix("target_")] = value
    return targets


def figures_for(result: dict[str, Any], targets: dict[str, Any]) -> dict[str, Any]:
    """The figures a target is about: keys equal to, or starting with, a target's name."""
    shown: dict[str, Any] = {}
    for name in targets:
        stem = name.removesuffix("_ms").removesuffix("_s")
        for key, value in result.items():
            if key in ("targets", "met") or key.startswith("target"):
                continue
            if key == name or key.startswith(stem):
                shown[key] = value
    return shown


def describe(path: Path) -> list[str]:
    """One benchmark's lines of the summary."""
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        log = path.with_suffix(".log")
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-5:] \
            if log.exists() else []
        return [f"## {path.stem}: no result ({error})", *("    " + line for line in tail)]
    targets = target_names(result)
    lines = [f"## {path.stem}: {result.get('benchmark', '')}"]
    lines += [f"    {key} = {value}" for key, value in figures_for(result, targets).items()]
    lines += [f"    target {key} = {value}" for key, value in targets.items()]
    lines.append(f"    met = {json.dumps(result.get('met'))}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    folder = Path(argv[0])
    files = sorted(folder.glob("*.json"))
    if not files:
        print(f"no benchmark results in {folder}", file=sys.stderr)
        return 1
    for path in files:
        print("\n".join(describe(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

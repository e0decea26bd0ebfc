"""Start-up to window shown: the frozen app against the source install, in one run.

Each launch is `PROGRAM --smoke-test` (a fresh temporary data dir, the real start-up); the
time runs from just before the process is spawned to the moment the window is visible,
which the smoke test reports as a wall-clock stamp. Launches alternate between the two
programs so both see the same machine state. Budget: frozen ≤ 1.5 × source (medians).
Prints JSON.

    python benchmarks/startup.py [--frozen build/dist/opchat-gui/opchat-gui] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 1.5


def launch(command: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    spawned = time.time()
    done = subprocess.run([*command, "--smoke-test"], capture_output=True, text=True,
                          env=env, timeout=180, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{command} failed: {done.stderr.strip()}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["window_shown_at"]) - spawned


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frozen", default=str(ROOT / "build/dist/opchat-gui/opchat-gui"),
                        help="the frozen executable (packaging/build.sh makes it)")
    parser.add_argument("--source", default=f"{sys.executable} -m opchat_gui",
                        help="how to start the source install")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not Path(args.frozen).is_file():
        raise SystemExit(f"{args.frozen} is missing: run bash packaging/build.sh first")
    programs = {"source": args.source.split(), "frozen": [args.frozen]}
    for command in programs.values():
        launch(command)  # warm the page cache once, untimed
    times: dict[str, list[float]] = {name: [] for name in programs}
    for _ in range(args.runs):
        for name, command in programs.items():
            times[name].append(launch(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["frozen"] / medians["source"]
    print(json.dumps({
        "benchmark": "startup_to_window_shown",
        "runs": args.runs,
        "source_median_s": round(medians["source"], 3),
        "frozen_median_s": round(medians["frozen"], 3),
        "source_s": [round(t, 3) for t in times["source"]],
        "frozen_s": [round(t, 3) for t in times["frozen"]],
        "ratio_frozen_to_source": round(ratio, 3),
        "budget_ratio": BUDGET,
        "within_budget": ratio <= BUDGET,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

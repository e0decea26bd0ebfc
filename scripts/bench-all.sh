#!/usr/bin/env bash
# Run every benchmark at full size (B1 twice), one after another, and keep each one's JSON, so
# the README's performance table comes from one run on one machine state. Run it on a
# quiet machine (nothing else busy): latency percentiles are only as quiet as the machine.
#   bash scripts/bench-all.sh [OUT_DIR]     (default: benchmarks/results/<UTC date-time>)
# Prints a summary (each benchmark's figures against its targets) when all have run.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/$(date -u +%Y-%m-%d-%H%M)}
mkdir -p "$out"
export QT_QPA_PLATFORM=offscreen
py=.venv/bin/python
{ date -u; uptime; nproc; $py -c 'import PySide6, sys; print(sys.version.split()[0], PySide6.__version__)'; } > "$out/machine.txt"
run() {  # run NAME MODULE [ARGS...]: JSON to OUT/NAME.json, stderr to OUT/NAME.log
    local name=$1; shift
    local start=$SECONDS
    $py -m "$@" > "$out/$name.json" 2> "$out/$name.log"
    echo "$name: exit $? in $((SECONDS - start)) s, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
}
run b1_stream benchmarks.b1_stream
# B1's CPU ratio divides two runs measured one after the other: a second run shows its spread.
run b1_stream_again benchmarks.b1_stream
run b1_stream_think benchmarks.b1_stream --think 20000
run b2_open benchmarks.b2_open
run b3_start benchmarks.b3_start
run b4_memory benchmarks.b4_memory
run b6_export benchmarks.b6_export
run b6_big_content benchmarks.b6_big_content
run b7_branches benchmarks.b7_branches
run b8_concurrency benchmarks.b8_concurrency
run b9_latency benchmarks.b9_latency
run b11_quit benchmarks.b11_quit
run math_render benchmarks.math_render
run b5_search_list benchmarks.b5_search_list
$py -m benchmarks.summary "$out"

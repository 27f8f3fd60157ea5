#!/usr/bin/env bash
# The cost of the change log on the bulk import (docs/audit.md), printed, never asserted:
# the same CSV of N customers imported with crmctl into a fresh crmd of this tree (which writes one
# hash-chained, sealed change-log entry per row) and into a fresh crmd built from a commit before the
# change log (the baseline), each `runs` times, alternating; the best rows/s of each and the ratio.
# Usage: scripts/bench-audit.sh [customers] [runs] [--baseline PATH-TO-CRMD]
#   (default 100000 customers, 3 runs; without --baseline, builds crmd at a814042 — the last commit
#    before the change log — in .build-baseline/, about 15 minutes the first time)
set -euo pipefail
cd "$(dirname "$0")/.."
n=100000
runs=3
baseline=""
positional=()
while [ $# -gt 0 ]; do
    case "$1" in
        --baseline) baseline=$2; shift 2 ;;
        *) positional+=("$1"); shift ;;
    esac
done
[ ${#positional[@]} -ge 1 ] && n=${positional[0]}
[ ${#positional[@]} -ge 2 ] && runs=${positional[1]}

scripts/install-deps.sh
release=(swift build -c release --scratch-path .build-release)
for product in crmd crmctl crmbench; do "${release[@]}" --product "$product" >&2; done
bin=$("${release[@]}" --show-bin-path)

if [ -z "$baseline" ]; then
    base_commit=a814042
    if [ ! -d .build-baseline/src ]; then
        mkdir -p .build-baseline
        git worktree add --detach .build-baseline/src "$base_commit" >&2
    fi
    swift build -c release --package-path .build-baseline/src --scratch-path .build-baseline/build --product crmd >&2
    baseline=$(swift build -c release --package-path .build-baseline/src --scratch-path .build-baseline/build --show-bin-path)/crmd
fi

work=$(mktemp -d /tmp/crmd-bench-audit.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/crmbench" csv --customers "$n" --out "$work/customers.csv"

# Prints the rows/s of one import of the CSV into a fresh daemon `$1`.
import_once() {
    local crmd=$1 data="$work/data-$RANDOM"
    "$crmd" --data-dir "$data" --socket "$work/crmd.sock" --log-level warning &
    echo $! > "$work/pid"
    for _ in $(seq 100); do [ -S "$work/crmd.sock" ] && break; sleep 0.1; done
    local start end
    start=$(date +%s.%N)
    "$bin/crmctl" --socket "$work/crmd.sock" import customers "$work/customers.csv" >/dev/null
    end=$(date +%s.%N)
    kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true
    rm -rf "$data" "$work/crmd.sock"
    python3 -c "print(round($n / ($end - $start)))"
}

echo "== change-log cost on import: $n customers, $runs runs each, release builds, $(nproc) cores"
echo "   with the log:    $bin/crmd ($(git describe --always --dirty))"
echo "   without the log: $baseline"
with=(); without=()
for run in $(seq "$runs"); do
    without+=("$(import_once "$baseline")")
    with+=("$(import_once "$bin/crmd")")
    echo "run $run: without ${without[-1]} rows/s, with ${with[-1]} rows/s"
done
best() { printf '%s\n' "$@" | sort -n | tail -1; }
b_without=$(best "${without[@]}"); b_with=$(best "${with[@]}")
python3 -c "
w, wo = $b_with, $b_without
print(f'import without the change log: {wo:,} rows/s (best of $runs)')
print(f'import with the change log:    {w:,} rows/s (best of $runs)')
print(f'with/without: {w / wo:.2f} ({(1 - w / wo) * 100:.0f} % slower; the goal is at most 30 %)')
"

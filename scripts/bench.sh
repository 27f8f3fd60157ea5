#!/usr/bin/env bash
# Release-build benchmarks of the registry, printed as numbers (never asserted):
#   - 100,000-customer CSV import through crmctl (rows/s)
#   - GetCustomer calls/s from one caller (and from 8)
#   - SearchCustomers latency over 100,000 customers
# Usage: scripts/bench.sh [customers]   (default 100000). Takes ~15 min the first
# time for the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
scripts/install-deps.sh
# A scratch folder of its own, so that the debug build in .build stays usable meanwhile.
release=(swift build -c release --scratch-path .build-release)
"${release[@]}" --product crmd >&2
"${release[@]}" --product crmctl >&2
"${release[@]}" --product crmbench >&2
bin=$("${release[@]}" --show-bin-path)

work=$(mktemp -d /tmp/crmd-bench.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/crmd" --data-dir "$work/data" --socket "$work/crmd.sock" --log-level warning &
echo $! > "$work/pid"
for _ in $(seq 100); do [ -S "$work/crmd.sock" ] && break; sleep 0.1; done

"$bin/crmbench" csv --customers "$n" --out "$work/customers.csv"
echo "== crmd $(git describe --always --dirty 2>/dev/null), release build, $(nproc) cores"
start=$(date +%s.%N)
"$bin/crmctl" --socket "$work/crmd.sock" import customers "$work/customers.csv"
end=$(date +%s.%N)
python3 -c "print(f'import: {$n} customers in {$end-$start:.2f} s = {$n/($end-$start):,.0f} rows/s (crmctl import, one transaction)')"
"$bin/crmbench" get --socket "$work/crmd.sock" --customers "$n" --seconds 10 --callers 1
"$bin/crmbench" get --socket "$work/crmd.sock" --customers "$n" --seconds 10 --callers 8
"$bin/crmbench" search --socket "$work/crmd.sock" --queries 500

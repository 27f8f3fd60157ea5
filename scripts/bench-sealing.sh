#!/usr/bin/env bash
# The cost of sealing personal fields at rest (docs/security.md), printed, never asserted: the same
# CSVs of N customers (street and attr.segment filled) and N interactions (a 300-character body each)
# imported with crmctl into a fresh crmd without a storage key and into one with a storage key and
# `sensitive_attributes: [segment]` (each street, segment and body sealed under the customer's data
# key), `runs` times, alternating; the best rows/s of each and the ratio.
# Usage: scripts/bench-sealing.sh [customers] [runs] [--bin DIR]
#   (default 100000 customers, 3 runs; without --bin, builds crmd, crmctl and crmbench in release mode
#    into .build-release/, about 15 minutes the first time)
set -euo pipefail
cd "$(dirname "$0")/.."
n=100000
runs=3
bin=""
positional=()
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin=$2; shift 2 ;;
        *) positional+=("$1"); shift ;;
    esac
done
[ ${#positional[@]} -ge 1 ] && n=${positional[0]}
[ ${#positional[@]} -ge 2 ] && runs=${positional[1]}

if [ -z "$bin" ]; then
    scripts/install-deps.sh
    release=(swift build -c release --scratch-path .build-release)
    for product in crmd crmctl crmbench; do "${release[@]}" --product "$product" >&2; done
    bin=$("${release[@]}" --show-bin-path)
fi

work=$(mktemp -d /tmp/crmd-bench-sealing.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/crmbench" csv --customers "$n" --out "$work/customers.csv"
python3 - "$n" "$work/interactions.csv" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
words = "the customer called about the delivery of the last order and asked for a new date".split()
with open(path, "w") as out:
    out.write("external_id,customer_external_id,kind,occur_time,subject,body\n")
    for i in range(1, n + 1):
        body = " ".join(words[(i + k) % len(words)] for k in range(60))[:300]
        out.write(f"I{i},B{i},call,2024-0{1 + i % 9}-1{i % 10}T10:00:00Z,Call {i},{body}\n")
EOF
head -c 32 /dev/urandom > "$work/storage-key"
printf 'storage:\n  key_file: %s\n  sensitive_attributes: [segment]\n' "$work/storage-key" > "$work/sealed.yaml"
: > "$work/clear.yaml"

# Prints "customers-rows/s interactions-rows/s" of one import of both CSVs into a fresh crmd with
# configuration `$1`.
import_once() {
    local config=$1 data="$work/data-$RANDOM" times=()
    "$bin/crmd" --config "$config" --data-dir "$data" --socket "$work/crmd.sock" --log-level warning &
    echo $! > "$work/pid"
    for _ in $(seq 100); do [ -S "$work/crmd.sock" ] && break; sleep 0.1; done
    for kind in customers interactions; do
        local start end
        start=$(date +%s.%N)
        "$bin/crmctl" --socket "$work/crmd.sock" import "$kind" "$work/$kind.csv" >/dev/null
        end=$(date +%s.%N)
        times+=("$(python3 -c "print(round($n / ($end - $start)))")")
    done
    kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true
    rm -rf "$data" "$work/crmd.sock"
    echo "${times[@]}"
}

echo "== sealing cost on import: $n customers and $n interactions, $runs runs each, release build, $(nproc) cores"
echo "   crmd: $bin/crmd ($(git describe --always --dirty))"
clear_c=(); clear_i=(); sealed_c=(); sealed_i=()
for run in $(seq "$runs"); do
    read -r c i <<< "$(import_once "$work/clear.yaml")"; clear_c+=("$c"); clear_i+=("$i")
    read -r c i <<< "$(import_once "$work/sealed.yaml")"; sealed_c+=("$c"); sealed_i+=("$i")
    echo "run $run: in clear ${clear_c[-1]} customers/s ${clear_i[-1]} interactions/s;" \
        "sealed ${sealed_c[-1]} customers/s ${sealed_i[-1]} interactions/s"
done
best() { printf '%s\n' "$@" | sort -n | tail -1; }
python3 -c "
for kind, clear, sealed in (('customers', $(best "${clear_c[@]}"), $(best "${sealed_c[@]}")),
                            ('interactions', $(best "${clear_i[@]}"), $(best "${sealed_i[@]}"))):
    print(f'{kind:12} in clear {clear:>7,} rows/s, sealed {sealed:>7,} rows/s (best of $runs): '
          f'{sealed / clear:.2f} ({(1 - sealed / clear) * 100:.0f} % slower)')
"

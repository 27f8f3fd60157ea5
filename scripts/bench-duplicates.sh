#!/usr/bin/env bash
# Duplicate search quality and speed (docs/duplicates.md), printed, never asserted:
#  1. crmbench duplicates: a synthetic registry of N customers with known duplicates (typos, swapped
#     names, accents, phone and email variants, changed companies) and hard negatives (households,
#     namesakes); the engine in-process: time, peak RSS, precision and recall over thresholds;
#  2. the same registry imported into a fresh release crmd, `crmctl customer duplicates --find` timed
#     through the daemon (the job reads every customer through the store), crmd's peak RSS, and the
#     pairwise precision and recall of the groups it stored, against the truth in the external ids
#     (P<person>-<variant>).
# Usage: scripts/bench-duplicates.sh [customers] [--bin DIR]
#   (default 100000; without --bin, builds crmd, crmctl and crmbench in release mode into
#    .build-release/, about 15 minutes the first time)
set -euo pipefail
cd "$(dirname "$0")/.."
n=100000
bin=""
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin=$2; shift 2 ;;
        *) n=$1; shift ;;
    esac
done
if [ -z "$bin" ]; then
    scripts/install-deps.sh
    release=(swift build -c release --scratch-path .build-release)
    for product in crmd crmctl crmbench; do "${release[@]}" --product "$product" >&2; done
    bin=$("${release[@]}" --show-bin-path)
fi

work=$(mktemp -d /tmp/crmd-bench-dups.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== duplicate search: $n customers, release build, $(nproc) cores, $(git describe --always --dirty)"
echo "-- in-process (crmbench duplicates)"
"$bin/crmbench" duplicates --customers "$n" --csv "$work/customers.csv" --threshold-curve

echo "-- through crmd"
"$bin/crmd" --data-dir "$work/data" --socket "$work/crmd.sock" --log-level warning &
echo $! > "$work/pid"
for _ in $(seq 100); do [ -S "$work/crmd.sock" ] && break; sleep 0.1; done
ctl=("$bin/crmctl" --socket "$work/crmd.sock")
start=$(date +%s.%N)
"${ctl[@]}" import customers "$work/customers.csv" --no-atomic --batch-size 5000 -o table >/dev/null
end=$(date +%s.%N)
python3 -c "print(f'import: {$n / ($end - $start):,.0f} rows/s')"
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$(cat "$work/pid")/status")
start=$(date +%s.%N)
"${ctl[@]}" customer duplicates --find --page-size 1 -o json >/dev/null
end=$(date +%s.%N)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$(cat "$work/pid")/status")
python3 -c "print(f'find (job, read + compare + store): {$end - $start:.1f} s; crmd RSS before {$rss_before / 1024:.0f} MB, peak {$hwm / 1024:.0f} MB')"

# Every stored group, page by page, then pairwise precision and recall against the external ids.
token=""
: > "$work/groups.jsonl"
while :; do
    "${ctl[@]}" customer duplicates --page-size 1000 ${token:+--page-token "$token"} -o json > "$work/page.json"
    cat "$work/page.json" >> "$work/groups.jsonl"
    token=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('next_page_token', ''))" "$work/page.json")
    [ -n "$token" ] || break
done
python3 - "$work/groups.jsonl" "$work/customers.csv" <<'EOF'
import csv, itertools, json, sys
from collections import Counter
persons = Counter()
with open(sys.argv[2]) as f:
    for row in csv.DictReader(f):
        persons[row["external_id"].split("-")[0]] += 1
true_pairs = sum(k * (k - 1) // 2 for k in persons.values())
found = correct = groups = 0
for line in open(sys.argv[1]):
    for group in json.loads(line).get("groups", []):
        groups += 1
        ids = [m.get("external_id", "") for m in group["members"]]
        for a, b in itertools.combinations(ids, 2):
            found += 1
            correct += a.split("-")[0] == b.split("-")[0]
precision = correct / found if found else 1.0
recall = correct / true_pairs if true_pairs else 1.0
print(f"groups stored: {groups:,}; pairs predicted {found:,}, correct {correct:,}, true {true_pairs:,}")
print(f"precision {precision:.3f}, recall {recall:.3f} at the default threshold (goal: >= 0.95 and >= 0.90)")
EOF

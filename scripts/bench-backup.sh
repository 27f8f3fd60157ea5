#!/usr/bin/env bash
# Backup and restore throughput (docs/operations.md), printed, never asserted: imports N customers
# into a fresh release crmd, then times `crmctl backup create` (snapshot, compress, seal, verify) while
# crmd serves, `crmctl backup verify`, and `crmd restore` into a new folder; MB/s of the database.
# Usage: scripts/bench-backup.sh [customers]   (default 1000000; the import takes a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
scripts/install-deps.sh
release=(swift build -c release --scratch-path .build-release)
for product in crmd crmctl crmbench; do "${release[@]}" --product "$product" >&2; done
bin=$("${release[@]}" --show-bin-path)

work=$(mktemp -d /tmp/crmd-bench-backup.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
head -c 32 /dev/urandom > "$work/key"
printf 'backup:\n  key_file: %s\n' "$work/key" > "$work/crmd.yaml"
"$bin/crmd" --config "$work/crmd.yaml" --data-dir "$work/data" --socket "$work/crmd.sock" --log-level warning &
echo $! > "$work/pid"
for _ in $(seq 100); do [ -S "$work/crmd.sock" ] && break; sleep 0.1; done
ctl() { "$bin/crmctl" --socket "$work/crmd.sock" "$@"; }
now() { date +%s.%N; }

"$bin/crmbench" csv --customers "$n" --out "$work/customers.csv"
start=$(now); ctl import customers "$work/customers.csv" > /dev/null; end=$(now)
echo "== crmd $(git describe --always --dirty), release build, $(nproc) cores, $n customers"
python3 -c "print(f'import: {$end - $start:.1f} s')"
db_bytes=$(stat -c %s "$work/data/crmd.sqlite3")
ctl admin stats -o table | grep -E "^(customers|database_size_bytes) "

start=$(now); ctl backup create --quiet -o json > "$work/backup.json"; end=$(now)
file=$(python3 -c "import json; print(json.load(open('$work/backup.json'))['path'])")
database_bytes=$(python3 -c "import json; print(json.load(open('$work/backup.json'))['database_bytes'])")
file_bytes=$(stat -c %s "$file")
python3 -c "
s = $end - $start; d = $database_bytes / 1e6
print(f'backup create (snapshot, compress, seal, verify): {s:.1f} s for a {d:.0f} MB database = {d / s:.0f} MB/s; file {$file_bytes / 1e6:.0f} MB ({$file_bytes / $database_bytes * 100:.0f} % of the database)')"

start=$(now); ctl backup verify "$file" > /dev/null; end=$(now)
python3 -c "s = $end - $start; d = $database_bytes / 1e6; print(f'backup verify: {s:.1f} s = {d / s:.0f} MB/s')"

start=$(now); "$bin/crmd" restore "$file" --data-dir "$work/restored" --key-file "$work/key" > "$work/restore.txt"; end=$(now)
python3 -c "s = $end - $start; d = $database_bytes / 1e6; print(f'crmd restore: {s:.1f} s = {d / s:.0f} MB/s')"
sed -n 2,3p "$work/restore.txt"

#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite. CI (.ci/run) runs exactly this.
#   1. swift build: a warning in crmd's own code fails it, as in CI;
#   2. swift test: unit tests and the end-to-end tests against the real crmd;
#   3. the systemd units: verify, sysusers/tmpfiles, exposure score, and — as root —
#      a real systemd as PID 1 in a container that installs, starts and calls crmd.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --python

log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$(pwd)/(Sources|Tests|Plugins)/.*: warning:" "$log" | sort -u | grep .; then
    echo "error: the warnings above are in crmd's own code; fix them" >&2
    exit 1
fi
swift test --skip-build

scripts/check-units.sh
if [ "$(id -u)" -eq 0 ]; then
    scripts/check-units.sh --boot
else
    echo "skipped: scripts/check-units.sh --boot (systemd as PID 1 in a container) needs root" >&2
fi

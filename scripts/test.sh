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
swift test --skip-build 2>&1 | tee "$log"
# swift test exits non-zero on a failure; set -o pipefail carries it through tee.
swift_tests=$(sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .* passed .*/\1/p' "$log" | tail -1)

unit_checks=1
scripts/check-units.sh
if [ "$(id -u)" -eq 0 ]; then
    scripts/check-units.sh --boot
    unit_checks=2
else
    echo "skipped: scripts/check-units.sh --boot (systemd as PID 1 in a container) needs root" >&2
fi
# Everything above stops the script on a failure, so reaching here means all passed.
echo "tests: $(( ${swift_tests:-0} + unit_checks )) passed, 0 failed"

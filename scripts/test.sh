#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite. CI (.ci/run) runs exactly this.
# A warning in crmd's own code fails the build, as it does in CI.
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

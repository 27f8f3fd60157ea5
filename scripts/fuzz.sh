#!/usr/bin/env bash
# Fuzz and fault script for crmd (issue 9): malformed and boundary requests to
# every method of every service (from the proto descriptors), raw malformed
# frames, a concurrent mixed load, idle connections, a too-large request and,
# with libcrmfixture-*.so in --plugin-dir, misbehaving plugins.
#
#   scripts/fuzz.sh [--seed N] [--crmd PATH] [--plugin-dir DIR] [--keep]
#                   [--no-load] [--load-seconds S] [CALLS]      (CALLS: 10000)
#
# Starts its own crmd (default .build/debug/crmd) on a temporary data folder.
# Needs python3 with grpcio and grpcio-tools. Exit status 0 when there were no
# crashes, no hangs and no data changed by rejected calls; 1 otherwise; 2 when
# the run could not be made; 3 when its global time limit was reached.
# `scripts/fuzz.sh --help` lists every option.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1
exec python3 -m fuzz "$@"

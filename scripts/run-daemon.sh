#!/usr/bin/env bash
# Sets up, builds and starts crmd on its embedded default: database in ./var,
# socket ./var/crmd.sock, no root and no systemd. Extra arguments go to crmd
# (e.g. --log-level debug). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product crmd
swift build --product crmctl
echo "crmd: starting on ./var/crmd.sock; in another terminal: .build/debug/crmctl admin stats" >&2
exec .build/debug/crmd --data-dir ./var --socket ./var/crmd.sock "$@"

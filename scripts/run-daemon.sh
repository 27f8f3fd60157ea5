#!/usr/bin/env bash
# Sets up, builds and starts crmd on its embedded default: database in ./var,
# socket ./var/crmd.sock, no root and no systemd. Extra arguments go to crmd
# (e.g. --log-level debug). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# crmd, its CLI, the process each plugin runs in, and the shipped analysis plugins
# (crmd loads libcrmplugin-*.so from its own folder; docs/plugins.md).
for product in crmd crmctl crmd-plugin-host crmplugin-decision-tree crmplugin-svm crmplugin-neural-network \
    crmplugin-nearest-centroid crmplugin-gaussian-nb; do
    swift build --product "$product"
done
echo "crmd: starting on ./var/crmd.sock; in another terminal: .build/debug/crmctl admin stats" >&2
exec .build/debug/crmd --data-dir ./var --socket ./var/crmd.sock "$@"

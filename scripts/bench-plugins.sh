#!/usr/bin/env bash
# The round trip of a small plugin call, in a plugin-host process and in crmd (trusted): builds
# crmd-plugin-bench, crmd-plugin-host and the echo fixture in release (own scratch folder, like
# `make`), then prints median and p99 per call. Numbers go in docs/plugins.md ("Cost of isolation").
#
#   scripts/bench-plugins.sh [rounds] [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2000}
config=${2:-release}
scratch=.build
[ "$config" = release ] && scratch=.build-release
for product in crmd-plugin-bench crmd-plugin-host crmfixture-behaviour; do
    swift build -c "$config" --scratch-path "$scratch" --product "$product" >&2
done
bin=$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)
folder=$(mktemp -d /tmp/crmd-plugin-bench.XXXXXX)
trap 'rm -rf "$folder"' EXIT
ln -s "$bin/libcrmfixture-behaviour.so" "$folder/"
CRMD_PLUGIN_HOST="$bin/crmd-plugin-host" "$bin/crmd-plugin-bench" "$folder" "$rounds"

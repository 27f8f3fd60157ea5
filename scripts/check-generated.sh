#!/usr/bin/env bash
# Fails when the committed generated code differs from what proto/ generates.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/generate-protos.sh
if ! git diff --exit-code --stat -- Sources/CRMProto || [ -n "$(git status --porcelain -- Sources/CRMProto)" ]; then
    echo "error: Sources/CRMProto is stale: run scripts/generate-protos.sh and commit the result" >&2
    exit 1
fi
echo "generated code is current" >&2

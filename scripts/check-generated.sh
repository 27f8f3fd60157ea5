#!/usr/bin/env bash
# Fails when the committed generated code differs from what proto/ generates.
set -euo pipefail
cd "$(dirname "$0")/.."
generated=(Sources/CRMProto Sources/CRMPluginKit/Generated Sources/CRMPluginProtoC)
scripts/generate-protos.sh
if ! git diff --exit-code --stat -- "${generated[@]}" || [ -n "$(git status --porcelain -- "${generated[@]}")" ]; then
    echo "error: generated code in ${generated[*]} is stale: run scripts/generate-protos.sh and commit the result" >&2
    exit 1
fi
echo "generated code is current" >&2

#!/usr/bin/env bash
# Formats crmd's Swift code with the committed .swift-format (swift-nio's
# style: 4 spaces, 120 columns). With --check, changes nothing and fails when
# a file is not formatted. Generated code in Sources/CRMProto is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.swift' | grep -v '^Sources/CRMProto/')
if [ "${1:-}" = "--check" ]; then
    unformatted=()
    for file in "${files[@]}"; do
        [ -f "$file" ] || continue
        if ! swift format "$file" | cmp -s - "$file"; then unformatted+=("$file"); fi
    done
    if [ ${#unformatted[@]} -gt 0 ]; then
        printf 'not formatted: %s\n' "${unformatted[@]}" >&2
        echo "run scripts/format.sh" >&2
        exit 1
    fi
    echo "all ${#files[@]} Swift files are formatted" >&2
else
    swift format --in-place --parallel "${files[@]}"
fi

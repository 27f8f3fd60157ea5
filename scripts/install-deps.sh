#!/usr/bin/env bash
# Installs the Debian packages crmd builds against, when any is missing (sqlite3 and python3-grpcio
# are for the tests: the tool edits a database behind crmd's back, the Python client runs as other users).
# Usage: scripts/install-deps.sh [--python]   (--python also installs grpcio, grpcio-tools and grpcio-reflection for the interop tests)
set -euo pipefail

packages=(libsqlite3-dev sqlite3 python3-grpcio libprotobuf-c-dev libsystemd-dev protobuf-compiler protobuf-c-compiler)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--python" ]; then
    if ! python3 -c 'import grpc, grpc_tools, grpc_reflection' 2>/dev/null; then
        echo "installing: grpcio grpcio-tools grpcio-reflection (PyPI)" >&2
        python3 -m pip install --quiet grpcio grpcio-tools grpcio-reflection
    fi
fi

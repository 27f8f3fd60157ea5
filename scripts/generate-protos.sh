#!/usr/bin/env bash
# Regenerates Sources/CRMProto from proto/. Builds protoc-gen-swift and
# protoc-gen-grpc-swift-2 from grpc-swift-protobuf (the version Package.swift
# names) into .build-protoc-gen/, which git ignores.
set -euo pipefail
cd "$(dirname "$0")/.."

GRPC_SWIFT_PROTOBUF_VERSION=2.4.1
tools=.build-protoc-gen
src=$tools/grpc-swift-protobuf
bin=$tools/bin

if [ ! -x "$bin/protoc-gen-swift" ] || [ ! -x "$bin/protoc-gen-grpc-swift-2" ] \
    || [ "$(cat "$tools/version" 2>/dev/null)" != "$GRPC_SWIFT_PROTOBUF_VERSION" ]; then
    mkdir -p "$tools"
    [ -d "$src" ] || git clone -q https://github.com/grpc/grpc-swift-protobuf "$src"
    git -C "$src" fetch -q --tags 2>/dev/null || true
    git -C "$src" checkout -q "$GRPC_SWIFT_PROTOBUF_VERSION"
    (cd "$src" && swift build --product protoc-gen-grpc-swift-2 >&2 \
        && swift build --product protoc-gen-swift >&2)
    mkdir -p "$bin"
    cp "$src/.build/debug/protoc-gen-swift" "$src/.build/debug/protoc-gen-grpc-swift-2" "$bin/"
    echo "$GRPC_SWIFT_PROTOBUF_VERSION" > "$tools/version"
fi

out=Sources/CRMProto
rm -f "$out"/*.pb.swift "$out"/*.grpc.swift
mapfile -t files < <(cd proto && find crm/v1 grpc -name '*.proto' | sort)

protoc --proto_path=proto \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
    --swift_out="$out" \
    --swift_opt=Visibility=Public \
    --swift_opt=FileNaming=PathToUnderscores \
    "${files[@]}"
protoc --proto_path=proto \
    --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
    --grpc-swift-2_out="$out" \
    --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,FileNaming=PathToUnderscores \
    "${files[@]}"
echo "generated $(ls "$out" | wc -l) files in $out" >&2

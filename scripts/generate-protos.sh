#!/usr/bin/env bash
# Regenerates the committed code generated from proto/:
#   Sources/CRMProto                  Swift + gRPC for crm/v1 and grpc/health (the public API)
#   Sources/CRMPluginKit/Generated    Swift for crm/plugin/v1 (the plugin messages)
#   Sources/CRMPluginProtoC           protobuf-c for crm/plugin/v1 (for plugins written in C)
# Builds protoc-gen-swift and protoc-gen-grpc-swift-2 from grpc-swift-protobuf
# (the version Package.swift names) into .build-protoc-gen/, which git ignores;
# protoc-c comes from Debian's protobuf-c-compiler.
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

# The plugin messages (crm.plugin.v1): Swift for CRMPluginKit, public, with
# `public import SwiftProtobuf` so the module builds with InternalImportsByDefault.
mapfile -t plugin_files < <(cd proto && find crm/plugin/v1 -name '*.proto' | sort)
plugin_swift=Sources/CRMPluginKit/Generated
mkdir -p "$plugin_swift"
rm -f "$plugin_swift"/*.pb.swift
protoc --proto_path=proto \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
    --swift_out="$plugin_swift" \
    --swift_opt=Visibility=Public \
    --swift_opt=FileNaming=PathToUnderscores \
    --swift_opt=UseAccessLevelOnImports=true \
    "${plugin_files[@]}"
echo "generated $(ls "$plugin_swift" | wc -l) files in $plugin_swift" >&2

# The same messages for C: headers under include/crm/plugin/v1/ (so that
# `#include "crm/plugin/v1/analysis.pb-c.h"` works for the target and for its
# users), sources under crm/plugin/v1/.
plugin_c=Sources/CRMPluginProtoC
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
protoc-c --proto_path=proto --c_out="$tmp" "${plugin_files[@]}"
rm -rf "$plugin_c/include/crm" "$plugin_c/crm"
mkdir -p "$plugin_c/include/crm/plugin/v1" "$plugin_c/crm/plugin/v1"
cp "$tmp"/crm/plugin/v1/*.pb-c.h "$plugin_c/include/crm/plugin/v1/"
cp "$tmp"/crm/plugin/v1/*.pb-c.c "$plugin_c/crm/plugin/v1/"
echo "generated $(find "$plugin_c" -name '*.pb-c.*' | wc -l) files in $plugin_c" >&2

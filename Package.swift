// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

/// Test fixtures of the plugin host (Tests/Fixtures/plugins/<name>/fixture.c): one small C plugin per
/// refusal reason or behaviour, built as .build/<config>/libcrmfixture-<name>.so. crmd never loads them
/// by default (from its own folder it takes only libcrmplugin-*.so).
let pluginFixtures = [
    "wrong-magic", "abi-major-2", "abi-minor-99", "no-entry", "null-name", "small-struct", "duplicate-a", "duplicate-b",
    "init-fails", "behaviour", "serial", "slow-describe", "crash", "loop-call", "loop-init", "hog",
]

/// `abi-major-2` → `FixtureAbiMajor2`.
func fixtureTarget(_ name: String) -> String {
    "Fixture" + name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

let package = Package(
    name: "crmd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "crmd", targets: ["crmd"]),
        .executable(name: "crmctl", targets: ["crmctl"]),
        // Runs one plugin library in a process of its own for crmd (docs/plugins.md, "Isolation").
        .executable(name: "crmd-plugin-host", targets: ["crmd-plugin-host"]),
        // The Swift SDK for plugin authors; out-of-tree plugins depend on this product.
        .library(name: "CRMPluginKit", targets: ["CRMPluginKit"]),
        // The shipped sample plugins, built as .build/<config>/libcrmplugin-*.so (docs/plugins.md).
        .library(name: "crmplugin-nearest-centroid", type: .dynamic, targets: ["NearestCentroidPlugin"]),
        .library(name: "crmplugin-gaussian-nb", type: .dynamic, targets: ["GaussianNBPlugin"]),
        // The analysis plugins of the needs analysis (issue 5).
        .library(name: "crmplugin-decision-tree", type: .dynamic, targets: ["DecisionTreePlugin"]),
        .library(name: "crmplugin-svm", type: .dynamic, targets: ["SVMPlugin"]),
        .library(name: "crmplugin-neural-network", type: .dynamic, targets: ["NeuralNetworkPlugin"]),
    ]
        + pluginFixtures.map { .library(name: "crmfixture-\($0)", type: .dynamic, targets: [fixtureTarget($0)]) },
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // Domain types, validation, the filter language, the store contract and the analysis
        // pipeline. No gRPC and no database here.
        .target(
            name: "CRMCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                // The change log's hash chain and the sealing of personal values (SHA-256, AES-GCM).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The store contract on SQLite (GRDB): schema, migrations, filters compiled to SQL, keyset
        // pages. The only target that depends on GRDB.
        .target(
            name: "CRMStoreSQLite",
            dependencies: [
                "CRMCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Generated from proto/ by scripts/generate-protos.sh; never edited by hand.
        .target(
            name: "CRMProto",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // libsystemd (sd_notify, socket activation, the journal), from libsystemd-dev.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // zlib, for the chunks of backups.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Backup files: a consistent snapshot, compressed and sealed in authenticated chunks
        // (docs/operations.md). Shared by crmd's backup service and `crmd restore`.
        .target(
            name: "CRMBackup",
            dependencies: [
                "CRMCore",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // gRPC services over CRMCore, the caller seam, health, systemd integration.
        .target(
            name: "CRMServer",
            dependencies: [
                "CRMBackup",
                "CRMCore",
                "CSystemd",
                "CRMProto",
                "CRMPluginABI",
                "CRMPluginKit",
                "CRMPluginWire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "crmd",
            dependencies: [
                "CRMBackup",
                "CRMServer",
                "CRMCore",
                "CRMStoreSQLite",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "crmctl",
            dependencies: [
                "CRMProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Load generator and latency probe for scripts/bench.sh; not part of the product.
        .executableTarget(
            name: "crmbench",
            dependencies: [
                "CRMCore",
                "CRMProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // The round trip of a plugin call, isolated and trusted, for scripts/bench-plugins.sh; not part of
        // the product.
        .executableTarget(
            name: "crmd-plugin-bench",
            dependencies: ["CRMServer", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // The plugin ABI: include/crm_plugin.h, the one contract across dlopen (docs/plugins.md).
        .target(name: "CRMPluginABI"),
        // The frames crmd and crmd-plugin-host exchange over their socketpair. No dependencies: the host
        // process must stay small (no gRPC, no GRDB, no CRMCore).
        .target(name: "CRMPluginWire", swiftSettings: strictSettings),
        // prctl, close_range and the seccomp filter of crmd-plugin-host: calls Swift cannot make itself.
        .target(name: "CRMPluginHostConfinement"),
        // The plugin-host child process: dlopens one plugin library and relays crmd's calls to it.
        .executableTarget(
            name: "crmd-plugin-host",
            dependencies: ["CRMPluginABI", "CRMPluginWire", "CRMPluginHostConfinement"],
            swiftSettings: strictSettings
        ),
        // Generated from proto/crm/plugin/v1 by scripts/generate-protos.sh (protoc-c): the plugin
        // messages for plugins written in C. Never edited by hand.
        .target(
            name: "CRMPluginProtoC",
            linkerSettings: [.linkedLibrary("protobuf-c")]
        ),
        // Helpers for analysis plugins written in C: errors, responses, dataset checks, parameter parsing.
        .target(
            name: "CRMPluginCSupport",
            dependencies: ["CRMPluginABI", "CRMPluginProtoC"],
            linkerSettings: [.linkedLibrary("m")]
        ),
        // The Swift SDK for plugin authors. Depends on the ABI and SwiftProtobuf only — never on CRMCore.
        .target(
            name: "CRMPluginKit",
            dependencies: [
                "CRMPluginABI",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        // Sample plugin in Swift: nearest-centroid and majority-class classifiers, via CRMPluginKit.
        .target(
            name: "NearestCentroidPlugin",
            dependencies: ["CRMPluginKit"],
            path: "Plugins/sample-swift",
            swiftSettings: strictSettings
        ),
        // Sample plugin in C: a Gaussian naive Bayes classifier, against crm_plugin.h and protobuf-c only.
        .target(
            name: "GaussianNBPlugin",
            dependencies: ["CRMPluginABI", "CRMPluginProtoC", "CRMPluginCSupport"],
            path: "Plugins/sample-c",
            linkerSettings: [.linkedLibrary("m")]
        ),
        // CART decision tree (gini, entropy), in Swift via CRMPluginKit.
        .target(
            name: "DecisionTreePlugin",
            dependencies: ["CRMPluginKit"],
            path: "Plugins/decision-tree",
            swiftSettings: strictSettings
        ),
        // Support vector machine (linear: dual coordinate descent; RBF: SMO), in C against
        // crm_plugin.h and protobuf-c only.
        .target(
            name: "SVMPlugin",
            dependencies: ["CRMPluginABI", "CRMPluginProtoC", "CRMPluginCSupport"],
            path: "Plugins/svm",
            linkerSettings: [.linkedLibrary("m")]
        ),
        // Multilayer perceptron (ReLU, softmax, Adam, early stopping), in Swift via CRMPluginKit.
        .target(
            name: "NeuralNetworkPlugin",
            dependencies: ["CRMPluginKit"],
            path: "Plugins/neural-network",
            swiftSettings: strictSettings
        ),
        // Shared code of the plugin host's test fixtures (a header only).
        .target(name: "CRMFixtureSupport", dependencies: ["CRMPluginABI"], path: "Tests/Fixtures/plugins/support"),
        // Registries and fixtures shared by the tests of CRMCore and of the stores.
        .target(
            name: "CRMTestSupport",
            dependencies: ["CRMCore"],
            path: "Tests/CRMTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMBackupTests",
            dependencies: ["CRMBackup"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMCoreTests",
            dependencies: ["CRMCore", "CRMTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMStoreSQLiteTests",
            dependencies: [
                "CRMStoreSQLite",
                "CRMCore",
                "CRMTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The store contract (Sources/CRMCore/Store): every test runs against each store in
        // StoreFactory.all; a new store implementation adds itself there.
        .testTarget(
            name: "CRMStoreConformanceTests",
            dependencies: [
                "CRMCore",
                "CRMStoreSQLite",
                "CRMTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The one launcher of the real crmd for tests (ManagedCrmd), and where the built products are.
        .target(
            name: "CRMDLauncher",
            path: "Tests/CRMDLauncher",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "crmdTests",
            dependencies: ["crmd", "CRMDLauncher"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "crmctlTests",
            dependencies: ["crmctl"],
            swiftSettings: strictSettings
        ),
        // Loads a built plugin library with dlopen and calls it through crm_plugin.h, for the
        // plugin test targets.
        .target(
            name: "PluginTestSupport",
            dependencies: [
                "CRMPluginKit",
                "CRMPluginABI",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Tests/PluginTestSupport",
            swiftSettings: strictSettings
        ),
        // The plugin ABI on its own: loads the built sample plugins with dlopen and calls them
        // through crm_plugin.h, as the host will.
        .testTarget(
            name: "CRMPluginKitTests",
            dependencies: [
                "PluginTestSupport",
                "CRMPluginKit",
                "CRMPluginABI",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        // Each analysis plugin alone, through the ABI (dlopen of the built library).
        .testTarget(
            name: "DecisionTreePluginTests",
            dependencies: [
                "PluginTestSupport",
                "CRMPluginKit",
                "CRMPluginABI",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SVMPluginTests",
            dependencies: [
                "PluginTestSupport",
                "CRMPluginKit",
                "CRMPluginABI",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NeuralNetworkPluginTests",
            dependencies: [
                "PluginTestSupport",
                "CRMPluginKit",
                "CRMPluginABI",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        // End-to-end: starts the built crmd and drives it over its socket, or serves the same services
        // in the test process (Support/InProcessServer.swift) where no process boundary is under test.
        .testTarget(
            name: "CRMServerTests",
            dependencies: [
                "CRMProto",
                "CRMCore",
                "CRMServer",
                "CRMStoreSQLite",
                "crmd",
                "crmctl",
                "CRMDLauncher",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
    ]
        + pluginFixtures.map {
            .target(
                name: fixtureTarget($0),
                dependencies: ["CRMFixtureSupport"],
                path: "Tests/Fixtures/plugins/\($0)",
                publicHeadersPath: "."
            )
        },
    swiftLanguageModes: [.v6]
)

import Foundation

/// Where the built executables are.
package enum BuildProducts {
    /// The folder holding `crmd` and `crmctl`: the folder of the test bundle.
    ///
    /// On Linux the test bundle (`crmdPackageTests.xctest`) is itself the
    /// running executable, so `/proc/self/exe` points into the products folder;
    /// on macOS it is a bundle loaded by `xctest`. `CRMD_BUILD_DIR` overrides.
    package static let directory: String = {
        if let override = ProcessInfo.processInfo.environment["CRMD_BUILD_DIR"], !override.isEmpty {
            return override
        }
        #if os(macOS)
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent().path
        }
        #endif
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().path
    }()

    package static var crmd: String { directory + "/crmd" }
    package static var crmctl: String { directory + "/crmctl" }

    /// The repository root (for `proto/` and `Tests/interop/`).
    package static let repositoryRoot: String = {
        // …/Tests/CRMDLauncher/BuildProducts.swift
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()
}

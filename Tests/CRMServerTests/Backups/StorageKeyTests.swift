import CRMDLauncher
import CRMProto
import Foundation
import Testing

@Suite("The storage key: data keys wrapped by it, re-wrapped by rotate-key")
struct StorageKeyTests {
    @Test("admin stats names the storage key; rotate-key re-wraps under it as a job; the log stays readable")
    func rotateKey() async throws {
        let folder = NSTemporaryDirectory() + "crm-storage-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = FileManager.default.createFile(atPath: folder + "/old", contents: Data(repeating: 3, count: 32))
        _ = FileManager.default.createFile(atPath: folder + "/new", contents: Data(repeating: 4, count: 32))
        let old = "storage:\n  key_file: \(folder)/old\n"
        let rotated = "storage:\n  key_file: \(folder)/new\n  previous_key_files: [\(folder)/old]\n"
        let data = folder + "/data"
        try await withDaemon(configuration: old, dataDir: data) { daemon in
            _ = try await daemon.createCustomer(Fixture.customer("Sealed Sally", email: "sally@example.org"))
            let stats = try await daemon.crmctl(["admin", "stats", "-o", "json"])
            #expect(!(try Crm_V1_Stats(jsonString: stats.stdout).storageKeyID.isEmpty), "\(stats)")
        }
        try await withDaemon(configuration: rotated, dataDir: data) { daemon in
            let rotation = try await daemon.crmctl(["admin", "rotate-key", "-o", "json"])
            #expect(rotation.succeeded && rotation.stdout.contains("SUCCEEDED"), "\(rotation)")
            let log = try await daemon.crmctl(["audit", "list", "--resource", "storage-key", "-o", "json"])
            #expect(log.stdout.contains("\"rewrapped\"") && log.stdout.contains("\"\\\"1\\\"\""), "\(log)")
        }
        // Only the new key now: the old entries still open.
        try await withDaemon(configuration: "storage:\n  key_file: \(folder)/new\n", dataDir: data) { daemon in
            let history = try await daemon.crmctl(["customer", "history", "customers/1", "-o", "json"])
            #expect(history.succeeded && history.stdout.contains("sally@example.org"), "\(history)")
        }
        // No key at all: refused, naming what is missing.
        try await withDaemon(dataDir: data) { daemon in
            let history = try await daemon.crmctl(["customer", "history", "customers/1"])
            #expect(history.exitCode == 1 && history.stderr.contains("wrapped by storage key"), "\(history)")
        }
    }
}

import CRMDLauncher
import CRMProto
import Foundation
import Testing

@Suite("The storage key: interaction bodies sealed at rest, data keys wrapped by it, re-wrapped by rotate-key")
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
        let body = "Sally's confidential complaint 4711"
        try await withDaemon(configuration: old, dataDir: data) { daemon in
            _ = try await daemon.createCustomer(Fixture.customer("Sealed Sally", email: "sally@example.org"))
            let stats = try await daemon.crmctl(["admin", "stats", "-o", "json"])
            #expect(!(try Crm_V1_Stats(jsonString: stats.stdout).storageKeyID.isEmpty), "\(stats)")
            let made = try await daemon.crmctl([
                "interaction", "create", "--customer", "customers/1", "--kind", "call", "--body", body, "-o", "json",
            ])
            try #require(made.succeeded, "\(made)")
            // Through the API the body reads back; in the file it is sealed.
            let read = try await daemon.crmctl(["interaction", "list", "-o", "json"])
            #expect(read.stdout.contains(body), "\(read)")
            let checkpoint = try await runCommand(
                "/usr/bin/sqlite3",
                [data + "/crmd.sqlite3", "PRAGMA wal_checkpoint(TRUNCATE)"],
                scratch: folder
            )
            try #require(checkpoint.succeeded, "\(checkpoint)")
            for file in ["/crmd.sqlite3", "/crmd.sqlite3-wal"] {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: data + file))) ?? Data()
                #expect(bytes.range(of: Data("confidential complaint".utf8)) == nil, "\(file) holds the body in clear")
            }
            let verified = try await daemon.crmctl(["audit", "verify", "-o", "table"])
            #expect(verified.succeeded, "\(verified)")
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
            let read = try await daemon.crmctl(["interaction", "get", "interactions/1", "-o", "json"])
            #expect(read.stdout.contains(body), "\(read)")
        }
        // No key at all: refused, naming what is missing.
        try await withDaemon(dataDir: data) { daemon in
            let history = try await daemon.crmctl(["customer", "history", "customers/1"])
            #expect(history.exitCode == 1 && history.stderr.contains("wrapped by storage key"), "\(history)")
            let read = try await daemon.crmctl(["interaction", "get", "interactions/1"])
            #expect(read.exitCode == 1 && read.stderr.contains("wrapped by storage key"), "\(read)")
        }
    }
}

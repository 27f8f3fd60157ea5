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

    @Test(
        "rotate-key under 8 writers: what was clear gets sealed, every acknowledged create reads back with the new key alone"
    )
    func rotationUnderLoad() async throws {
        let folder = NSTemporaryDirectory() + "crm-rotate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = FileManager.default.createFile(atPath: folder + "/old", contents: Data(repeating: 5, count: 32))
        _ = FileManager.default.createFile(atPath: folder + "/new", contents: Data(repeating: 6, count: 32))
        let sensitive = "  sensitive_attributes: [income]\n"
        let data = folder + "/data"
        func customer(_ name: String) -> Crm_V1_Customer {
            var made = Fixture.customer(name, attributes: ["income": "income-of-\(name)", "segment": "retail"])
            made.address.street = "Street-of-\(name)"
            return made
        }

        // Written in clear: no key yet.
        try await withDaemon(dataDir: data) { daemon in
            for index in 0..<20 { try await daemon.createCustomer(customer("Clear\(index)")) }
        }
        // An old key wraps the keys made from here on; the first customers stay in clear.
        try await withDaemon(configuration: "storage:\n  key_file: \(folder)/old\n" + sensitive, dataDir: data) {
            daemon in
            for index in 0..<20 { try await daemon.createCustomer(customer("Old\(index)")) }
            let refused = try await daemon.crmctl(["customer", "list", "--filter", "address.street = x"])
            #expect(
                refused.exitCode == 2
                    && refused.stderr.contains("INVALID_ARGUMENT: filter: address.street is sealed at rest"),
                "\(refused)"
            )
            let allowed = try await daemon.crmctl(["customer", "list", "--filter", "attributes.segment = retail"])
            #expect(allowed.succeeded && allowed.stdout.contains("Old19"), "\(allowed)")
        }
        let rotated = "storage:\n  key_file: \(folder)/new\n  previous_key_files: [\(folder)/old]\n" + sensitive
        let acknowledged = try await withDaemon(configuration: rotated, dataDir: data) { daemon in
            let writing = Task {
                try await withThrowingTaskGroup(of: [String].self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            let connection = try daemon.connect()
                            defer { Task { await connection.close() } }
                            var names: [String] = []
                            for step in 0..<40 {
                                let made = try await connection.customers.createCustomer(
                                    .with { $0.customer = customer("W\(writer)x\(step)") }
                                )
                                names.append(made.displayName)
                            }
                            return names
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            let rotation = try await daemon.crmctl(["admin", "rotate-key", "-o", "json"])
            let names = try await writing.value
            #expect(rotation.succeeded && rotation.stdout.contains("SUCCEEDED"), "\(rotation)")
            let log = try await daemon.crmctl(["audit", "list", "--resource", "storage-key", "-o", "json"])
            #expect(log.stdout.contains("sealed_customers") && log.stdout.contains("\"\\\"20\\\"\""), "\(log)")
            return names
        }
        #expect(acknowledged.count == 320)

        // Only the new key: everything acknowledged reads back, whole.
        try await withDaemon(configuration: "storage:\n  key_file: \(folder)/new\n" + sensitive, dataDir: data) {
            daemon in
            let all = try await daemon.listAllCustomers(pageSize: 100).customers
            #expect(all.count == 360)
            let byName = Dictionary(all.map { ($0.displayName, $0) }) { first, _ in first }
            for name in acknowledged + (0..<20).flatMap({ ["Clear\($0)", "Old\($0)"] }) {
                let found = byName[name]
                #expect(
                    found?.address.street == "Street-of-\(name)" && found?.attributes["income"] == "income-of-\(name)",
                    "\(name): \(String(describing: found))"
                )
            }
            let verified = try await daemon.crmctl(["audit", "verify", "-o", "table"])
            #expect(verified.succeeded, "\(verified)")
        }
        // Nothing of the streets and incomes is left in clear in the file.
        let checkpoint = try await runCommand(
            "/usr/bin/sqlite3",
            [data + "/crmd.sqlite3", "PRAGMA wal_checkpoint(TRUNCATE)"],
            scratch: folder
        )
        try #require(checkpoint.succeeded, "\(checkpoint)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: data + "/crmd.sqlite3"))
        for secret in ["Street-of-", "income-of-"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the file holds \(secret) in clear")
        }
    }
}

import Foundation
import GRDB
import Logging
import Testing

@testable import CRMCore
@testable import CRMStoreSQLite

@Suite("Change log on SQLite: what only SQLite has (the contract is in CRMStoreConformanceTests)")
struct ChangeLogTests {
    @Test("records written before the change log get a baseline entry, and verify holds them to it")
    func baselineOfExistingRecords() async throws {
        let directory = NSTemporaryDirectory() + "crm-baseline-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/crmd.sqlite3"
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "0005-payment-interaction-versions")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO customers (display_name, email, create_time, update_time, version)
                        VALUES ('Old Timer', 'old@example.org', 1, 1, 3)
                        """
                )
            }
        }
        let store = try SQLiteRegistry(path: path, logger: Logger(label: "test"))
        let entries = try await store.changes(ChangeQuery())
        #expect(entries.map(\.kind) == [.baseline] && entries.first?.actor.method == "crmd:migration 0006-change-log")
        #expect(entries.first?.fields.first { $0.name == "email" }?.after == "\"old@example.org\"")
        let verification = try await store.verifyChangeLog(expectedHead: nil)
        #expect(verification.intact && verification.recordsChecked == 1, "\(verification)")
        try await store.close()
    }

    @Test("personal values are sealed in the log; an erasure destroys the key and the chain still verifies")
    func sealedAndShredded() async throws {
        let registry = try TemporaryRegistry()
        let made = try await registry.store.createCustomers([
            registry.customer("Sealed Person", email: "sealed@example.org")
        ])[0]
        let stored = try registry.store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT after, sealed FROM change_log WHERE revision = 1")!
        }
        let clear: String = stored[0]
        let sealed: Data = stored[1]
        #expect(!clear.contains("sealed@example.org") && !clear.contains("Sealed Person"), "\(clear)")
        #expect(sealed.range(of: Data("sealed@example.org".utf8)) == nil)
        #expect(try await registry.store.changes(ChangeQuery()).first?.personalErased == false)

        _ = try await registry.store.eraseCustomer(id: made.id, expectedVersion: made.version)
        let entries = try await registry.store.changes(ChangeQuery())
        #expect(entries.map(\.kind) == [.create, .erase])
        #expect(entries[0].personalErased && entries[0].fields.allSatisfy { !$0.personal })
        #expect(
            entries[1].fields.first { $0.name == "email" }
                == .init(name: "email", before: "null", after: "\"\"", personal: true)
        )
        let verification = try await registry.store.verifyChangeLog(expectedHead: nil)
        #expect(verification.intact, "\(verification)")

        await #expect(throws: CRMError.self) {
            try await registry.store.eraseCustomer(id: made.id, expectedVersion: made.version)
        }
    }

    @Test("the canonical encoding tells an absent value from an empty one, and every field moves the hash")
    func canonicalEncoding() throws {
        let actor = ChangeActor(uid: 1, gid: 1, pid: 1, executable: "", method: "m")
        func record(before: String?, uid: UInt32 = 1) -> ChangeRecord {
            var actor = actor
            actor.uid = uid
            return ChangeRecord(
                revision: 1,
                time: Date(timeIntervalSince1970: 0),
                actor: actor,
                resource: "customers/1",
                customerID: 1,
                kind: .update,
                before: before,
                after: "{}",
                sealed: nil,
                keyID: 0
            )
        }
        let genesis = ChangeRecord.genesis
        #expect(record(before: nil).chainHash(previous: genesis) != record(before: "").chainHash(previous: genesis))
        #expect(
            record(before: "{}").chainHash(previous: genesis)
                != record(before: "{}", uid: 2).chainHash(previous: genesis)
        )
        #expect(record(before: "{}").chainHash(previous: genesis) == record(before: "{}").chainHash(previous: genesis))
    }

    @Test("data keys wrapped by a storage key: unreadable without it, wrapped at open, re-wrapped on rotation")
    func storageKeys() async throws {
        let directory = NSTemporaryDirectory() + "crm-storage-key-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/crmd.sqlite3"
        let first = StorageKey(bytes: Data(repeating: 1, count: 32))
        let second = StorageKey(bytes: Data(repeating: 2, count: 32))
        func open(_ keys: StorageKeys?) throws -> SQLiteRegistry {
            try SQLiteRegistry(path: path, logger: Logger(label: "test"), storageKeys: keys)
        }
        func wrapIDs(_ store: SQLiteRegistry) throws -> [String] {
            try store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT wrap_id FROM personal_data_keys ORDER BY id")
            }
        }

        // Made raw, then wrapped when the store opens with a key.
        var store = try open(nil)
        _ = try await store.createCustomers([Customer(displayName: "Raw Made", email: "raw@example.org")])
        #expect(try wrapIDs(store) == [""])
        try await store.close()
        store = try open(StorageKeys(current: first))
        #expect(try wrapIDs(store) == [first.id])
        _ = try await store.createCustomers([Customer(displayName: "Wrapped Made", email: "wrapped@example.org")])
        #expect(try wrapIDs(store) == [first.id, first.id])
        #expect(try await store.changes(ChangeQuery()).count == 2)
        try await store.close()

        // Without the key the sealed values cannot be read, and the error names the key.
        store = try open(nil)
        let refused = await #expect(throws: CRMError.self) { try await store.changes(ChangeQuery()) }
        #expect(
            refused?.code == .failedPrecondition && refused?.message.contains(first.id) == true,
            "\(String(describing: refused))"
        )
        try await store.close()

        // Rotation: the new key current, the old one previous; every key re-wrapped; then the old one goes.
        store = try open(StorageKeys(current: second, previous: [first]))
        #expect(try await store.rewrapDataKeys { _ in } == 2)
        #expect(try wrapIDs(store) == [second.id, second.id])
        try await store.close()
        store = try open(StorageKeys(current: second))
        let entries = try await store.changes(ChangeQuery())
        #expect(entries.first?.fields.first { $0.name == "email" }?.after == "\"raw@example.org\"")
        #expect(try await store.verifyChangeLog(expectedHead: nil).intact)
        try await store.close()
    }
}

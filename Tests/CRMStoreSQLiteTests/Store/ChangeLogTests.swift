import Foundation
import GRDB
import Logging
import Testing

@testable import CRMCore
@testable import CRMStoreSQLite

@Suite("Change log on SQLite: same transaction, gap-free, chained, sealed")
struct ChangeLogTests {
    @Test("concurrent writers: revisions 1…N without a gap, every hash chained, the caller recorded")
    func concurrentWritersChain() async throws {
        let registry = try TemporaryRegistry()
        let actor = ChangeActor(uid: 4242, gid: 42, pid: 7, executable: "/usr/bin/tool", method: "/test/Create")
        try await ChangeActor.$current.withValue(actor) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        _ = try await registry.store.createCustomers([registry.customer("Writer \(index)")])
                    }
                }
                try await group.waitForAll()
            }
        }
        let entries = try await registry.store.changes(ChangeQuery(limit: 100))
        #expect(entries.map(\.revision) == Array(1...40))
        #expect(entries.allSatisfy { $0.actor == actor && $0.kind == .create })
        let verification = try await registry.store.verifyChangeLog(expectedHead: nil)
        #expect(
            verification.intact && verification.entries == 40 && verification.recordsChecked == 40,
            "\(verification)"
        )
    }

    @Test("a transaction that fails and an import batch with a bad row leave no entry")
    func failedWritesLeaveNoEntry() async throws {
        let registry = try TemporaryRegistry()
        struct Refusal: Error {}
        await #expect(throws: Refusal.self) {
            try await registry.store.transaction { transaction in
                _ = try transaction.createCustomer(registry.customer("Rolled back"), field: "customer")
                throw Refusal()
            }
        }
        let rows: [ImportRow<Customer>] = [
            ImportRow(index: 0, externalID: "a", value: .success(registry.customer("A", externalID: "a"))),
            ImportRow(index: 1, externalID: "b", value: .failure(CRMError.invalid("customer.email", "bad"))),
        ]
        let outcome = try await registry.store.importCustomers(rows, options: ImportOptions())
        #expect(outcome.failed == 1 && outcome.rejected == 1)
        #expect(try await registry.store.changeLogHead().revision == 0)

        let good = try await registry.store.importCustomers(Array(rows.prefix(1)), options: ImportOptions())
        #expect(good.created == 1)
        let entries = try await registry.store.changes(ChangeQuery())
        #expect(entries.map(\.kind) == [.create] && entries.first?.resource == "customers/1")
    }

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
}

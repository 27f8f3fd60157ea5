import Foundation
import GRDB
import Logging
import Testing

@testable import CRMCore
@testable import CRMStoreSQLite

/// A registry in a fresh temporary folder, removed when the test ends.
final class TemporaryRegistry: Sendable {
    let directory: String
    let store: SQLiteRegistry

    init() throws {
        directory = NSTemporaryDirectory() + "crmcore-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteRegistry(path: directory + "/crmd.sqlite3", logger: Logger(label: "test"))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func customer(_ name: String, email: String = "", externalID: String = "", tags: [String] = []) -> Customer {
        Customer(displayName: name, email: email, tags: tags, externalID: externalID)
    }
}

@Suite("SQLiteRegistry: what only SQLite has (the contract is in CRMStoreConformanceTests)")
struct SQLiteRegistrySpecificTests {
    @Test("the uniqueness checks of every write use an index, not a table scan")
    func uniquenessChecksUseIndexes() async throws {
        let registry = try TemporaryRegistry()
        let plans = try await registry.store.pool.read { db in
            try [SQLiteRegistry.emailOwnerSQL, "SELECT id FROM customers WHERE external_id = ? AND id <> ?"].map {
                sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: ["a@example.com", 1])
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("USING INDEX customers_email_live"), "\(plans[0])")
        #expect(plans[1].contains("INDEX"), "\(plans[1])")
        #expect(!plans.joined().contains("SCAN customers"))
    }

    @Test("reopening runs no migration twice and keeps the data")
    func migrations() async throws {
        let registry = try TemporaryRegistry()
        _ = try await registry.store.createCustomers([registry.customer("Kept")])
        #expect(try await registry.store.statistics().schemaVersion == Schema.latestVersion)
        try await registry.store.close()
        let reopened = try SQLiteRegistry(path: registry.directory + "/crmd.sqlite3", logger: Logger(label: "test"))
        let statistics = try await reopened.statistics()
        #expect(statistics.schemaVersion == Schema.latestVersion)
        #expect(statistics.customers == 1)
        #expect(statistics.databaseSizeBytes > 0)
        try await reopened.close()
    }

    @Test("0004 indexes the phone forms of customers stored before it, and search finds them as typed")
    func phoneSearchMigration() async throws {
        let directory = NSTemporaryDirectory() + "crmcore-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/crmd.sqlite3"
        // A database as version 3 left it, with a customer written then.
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "0003-analysis-models")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO customers (display_name, phone, country, tags, attributes, lifecycle_stage,
                      create_time, update_time, version)
                    VALUES ('Old Hamburg', '+49402007233', 'DE', '[]', '{}', 0, 1, 1, 1)
                    """
            )
        }
        try queue.close()
        let store = try SQLiteRegistry(path: path, logger: Logger(label: "test"))
        for typed in ["040 2007233", "+49 40 2007233", "0049 40 200 72 33", "402007233", "Hamburg"] {
            let found = try await store.searchCustomers(SearchQuery(text: typed))
            #expect(found.items.map(\.displayName) == ["Old Hamburg"], "\(typed)")
        }
        #expect(try await store.searchCustomers(SearchQuery(text: "030 2007233")).items.isEmpty)
        try await store.close()
    }
}

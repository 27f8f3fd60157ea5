import Foundation
import GRDB
import Logging
import Testing

@testable import CRMCore
@testable import CRMStoreSQLite

@Suite("Sealed customer fields: streets and sensitive attributes under the customer's data key")
struct SealedFieldsTests {
    let directory = NSTemporaryDirectory() + "crm-sealed-\(UUID().uuidString)"
    var path: String { directory + "/crmd.sqlite3" }
    let key = StorageKey(bytes: Data(repeating: 7, count: 32))
    var keys: StorageKeys { StorageKeys(current: key, sensitiveAttributes: ["income", "health.notes"]) }

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func open(_ keys: StorageKeys?) throws -> SQLiteRegistry {
        try SQLiteRegistry(path: path, logger: Logger(label: "test"), storageKeys: keys)
    }

    /// What the clear columns of customer `id` hold.
    func stored(_ store: SQLiteRegistry, _ id: Int64) throws -> (street: String, attributes: String, sealed: Bool) {
        try store.pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT street, attributes, typeof(sealed) = 'blob' FROM customers WHERE id = ?",
                arguments: [id]
            )!
            return (row[0], row[1], row[2])
        }
    }

    static let sally = Customer(
        displayName: "Sealed Sally",
        email: "sally@example.org",
        address: PostalAddress(street: "Geheimweg 12", city: "Graz", country: "AT"),
        attributes: ["income": "95000", "health.notes": "asthma", "segment": "retail"]
    )

    @Test("the street and sensitive attributes leave the clear columns, read back whole, and cannot be filtered on")
    func sealedAndOpened() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try open(keys)
        let created = try await store.createCustomers([Self.sally])[0]
        let clear = try stored(store, created.id)
        #expect(clear.street == "" && clear.sealed, "\(clear)")
        #expect(clear.attributes == #"{"segment":"retail"}"#, "\(clear)")

        let read = try await store.customer(id: created.id)
        #expect(read.address == Self.sally.address && read.attributes == Self.sally.attributes, "\(read)")
        #expect(try await store.customer(email: "sally@example.org").address.street == "Geheimweg 12")
        let listed = try await store.listCustomers(ListQuery(pageSize: 10, filter: "attributes.segment = retail"))
        #expect(listed.items.map(\.attributes) == [Self.sally.attributes])
        #expect(try await store.searchCustomers(SearchQuery(text: "Sally", pageSize: 5)).items.first == read)

        for filter in [#"address.street = "Geheimweg 12""#, "attributes.income > 1", "attributes.health.notes:*"] {
            let refused = await #expect(throws: CRMError.self) {
                try await store.listCustomers(ListQuery(pageSize: 10, filter: filter))
            }
            #expect(refused?.code == .invalidArgument && refused?.message.contains("sealed") == true, "\(filter)")
        }

        // An update moves a value out of the sealed set and another in: the blob follows.
        let updated = try await store.updateCustomer(id: created.id, expectedVersion: nil) { customer in
            customer.address.street = "Neue Gasse 3"
            customer.attributes["income"] = nil
        }
        #expect(try await store.customer(id: created.id) == updated)
        #expect(updated.address.street == "Neue Gasse 3" && updated.attributes["income"] == nil)
        #expect(try await store.verifyChangeLog(expectedHead: nil).intact)

        // Erasure leaves nothing sealed behind.
        _ = try await store.eraseCustomer(id: created.id, expectedVersion: nil)
        #expect(try stored(store, created.id).sealed == false)
        #expect(try await store.customer(id: created.id).address.street == "")
        try await store.close()

        // Without the key, the sealed fields are refused, naming the key.
        let keyless = try open(nil)
        let other = try await keyless.createCustomers([Customer(displayName: "Clear Claire")])[0]
        #expect(try await keyless.customer(id: other.id).displayName == "Clear Claire")
        try await keyless.close()
    }

    @Test("a registry written without a key is sealed by sealClearValues: contents and versions unchanged")
    func sealingWhatWasClear() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var store = try open(nil)
        let created = try await store.createCustomers([Self.sally])[0]
        let call = try await store.createInteraction(
            Interaction(customerID: created.id, kind: .call, body: "complained about the invoice")
        )
        #expect(try stored(store, created.id).street == "Geheimweg 12")
        try await store.close()

        store = try open(keys)
        let counts = try await store.sealClearValues { _ in }
        #expect(counts == SealedCounts(customers: 1, interactions: 1))
        #expect(try await store.sealClearValues { _ in } == SealedCounts(), "a second pass finds nothing")
        let clear = try stored(store, created.id)
        #expect(clear.street == "" && clear.sealed && !clear.attributes.contains("95000"), "\(clear)")
        #expect(try await store.customer(id: created.id) == created)
        #expect(try await store.interaction(id: call.id) == call)
        #expect(try await store.verifyChangeLog(expectedHead: nil).intact)
        try await store.close()

        store = try open(nil)
        let refused = await #expect(throws: CRMError.self) { try await store.customer(id: created.id) }
        #expect(refused?.message.contains(key.id) == true, "\(String(describing: refused))")
        try await store.close()
    }
}

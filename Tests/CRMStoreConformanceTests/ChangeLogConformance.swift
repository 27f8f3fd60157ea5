import Foundation
import Testing

@testable import CRMCore

/// The change log's contract (``ChangeLogStore``, docs/audit.md): every store appends the same entries.
@Suite("Store contract: the change log")
struct ChangeLogConformance {
    static let actor = ChangeActor(uid: 1234, gid: 56, pid: 78, executable: "/usr/bin/tool", method: "/test/Call")

    @Test(
        "each write is one entry naming the actor and each changed field; an update that changes nothing is none",
        arguments: StoreFactory.all
    )
    func entryPerWrite(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let store = registry.store
        try await ChangeActor.$current.withValue(Self.actor) {
            let made = try await store.createCustomers([registry.customer("Ada", email: "ada@example.com")])[0]
            _ = try await store.updateCustomer(id: made.id, expectedVersion: nil) { $0.company = "Engines" }
            _ = try await store.updateCustomer(id: made.id, expectedVersion: nil) { $0.company = "Engines" }
            _ = try await store.deleteCustomer(id: made.id, expectedVersion: nil)
            _ = try await store.undeleteCustomer(id: made.id, expectedVersion: nil)
            let order = try await store.createOrder(
                Order(
                    customerID: made.id,
                    currencyCode: "EUR",
                    lineItems: [LineItem(sku: "A", productName: "A", category: "c", quantity: 1, unitPriceMinor: 100)],
                    orderTime: Date(timeIntervalSince1970: 1_700_000_000)
                )
            )
            let payment = try await store.createPayment(
                Payment(orderID: order.id, amountMinor: 100, currencyCode: "EUR", paidTime: Date())
            )
            _ = try await store.deletePayment(id: payment.id, expectedVersion: nil)
        }
        let entries = try await store.changes(ChangeQuery())
        #expect(entries.map(\.kind) == [.create, .update, .delete, .undelete, .create, .create, .delete])
        #expect(entries.map(\.revision) == Array(1...7))
        #expect(entries.allSatisfy { $0.actor == Self.actor })
        #expect(
            entries.map(\.resource) == [
                "customers/1", "customers/1", "customers/1", "customers/1", "orders/1", "payments/1", "payments/1",
            ]
        )
        #expect(entries.allSatisfy { $0.customerID == 1 })
        let email = entries[0].fields.first { $0.name == "email" }
        #expect(email == .init(name: "email", before: nil, after: "\"ada@example.com\"", personal: true))
        #expect(
            entries[1].fields.map(\.name) == ["company", "version"]
                && entries[1].fields[0].before == "\"\"" && entries[1].fields[0].after == "\"Engines\""
        )
        #expect(entries[2].fields.contains { $0.name == "delete_time" && $0.before == "null" })
        #expect(entries[6].fields.allSatisfy { $0.after == nil }, "a removal keeps what was removed")

        // Narrowed listings.
        #expect(try await store.changes(ChangeQuery(resource: "payments")).map(\.revision) == [6, 7])
        #expect(try await store.changes(ChangeQuery(resource: "customers/1")).count == 4)
        #expect(try await store.changes(ChangeQuery(afterRevision: 5, limit: 1)).map(\.revision) == [6])
        #expect(try await store.changes(ChangeQuery(uid: 1234)).count == 7)
        #expect(try await store.changes(ChangeQuery(uid: 1)).isEmpty)
        #expect(try await store.changes(ChangeQuery(method: "Call")).count == 7)
        #expect(try await store.changes(ChangeQuery(customerID: 2)).isEmpty)
        #expect(try await store.changeLogHead().revision == 7)
        let verification = try await store.verifyChangeLog(expectedHead: nil)
        #expect(verification.intact && verification.entries == 7 && verification.recordsChecked == 2, "\(verification)")
    }

    @Test("concurrent writers: revisions 1…N without a gap; the chain verifies", arguments: StoreFactory.all)
    func concurrentWriters(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    _ = try await registry.store.createCustomers([registry.customer("Writer \(index)")])
                }
            }
            try await group.waitForAll()
        }
        let entries = try await registry.store.changes(ChangeQuery(limit: 100))
        #expect(entries.map(\.revision) == Array(1...40))
        #expect(entries.allSatisfy { $0.actor.method.hasPrefix("crmd:") }, "without a caller, crmd's own")
        let head = try await registry.store.changeLogHead()
        let verification = try await registry.store.verifyChangeLog(expectedHead: head.hash)
        #expect(verification.intact && verification.expectedHeadFound == true, "\(verification)")
        let unknown = try await registry.store.verifyChangeLog(expectedHead: Data(repeating: 7, count: 32))
        #expect(!unknown.intact && unknown.expectedHeadFound == false)
    }

    @Test(
        "a write that fails, a transaction that throws and an import batch with a bad row leave no entry",
        arguments: StoreFactory.all
    )
    func failedWritesLeaveNoEntry(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        struct Refusal: Error {}
        await #expect(throws: Refusal.self) {
            try await registry.store.transaction { transaction in
                _ = try transaction.createCustomer(registry.customer("Rolled back"), field: "customer")
                throw Refusal()
            }
        }
        _ = try await registry.store.createCustomers([registry.customer("A", email: "a@example.com")])
        await #expect(throws: CRMError.self) {
            try await registry.store.createCustomers([registry.customer("B", email: "a@example.com")])
        }
        let rows: [ImportRow<Customer>] = [
            ImportRow(index: 0, externalID: "x", value: .success(registry.customer("X", externalID: "x"))),
            ImportRow(index: 1, externalID: "y", value: .failure(CRMError.invalid("customer.email", "bad"))),
        ]
        _ = try await registry.store.importCustomers(rows, options: ImportOptions())
        _ = try await registry.store.importCustomers(Array(rows.prefix(1)), options: ImportOptions(validateOnly: true))
        #expect(try await registry.store.changeLogHead().revision == 1)
        _ = try await registry.store.importCustomers(Array(rows.prefix(1)), options: ImportOptions())
        #expect(try await registry.store.changes(ChangeQuery()).map(\.kind) == [.create, .create])
    }

    @Test(
        "erasure: earlier personal values become unreadable, the record is anonymised, the chain verifies",
        arguments: StoreFactory.all
    )
    func erasure(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let store = registry.store
        let made = try await store.createCustomers([registry.customer("Erin", email: "erin@example.com")])[0]
        _ = try await store.createInteraction(
            Interaction(
                customerID: made.id,
                kind: .email,
                occurTime: Date(),
                subject: "Hi Erin",
                body: "erin@example.com"
            )
        )
        let erased = try await store.eraseCustomer(id: made.id, expectedVersion: made.version)
        #expect(erased.email.isEmpty && !erased.displayName.contains("Erin") && erased.version == made.version + 1)
        let interaction = try await store.listInteractions(ListQuery()).items[0]
        #expect(interaction.subject.isEmpty && interaction.body.isEmpty)
        let entries = try await store.changes(ChangeQuery(customerID: made.id))
        #expect(entries.map(\.kind) == [.create, .create, .erase, .erase])
        #expect(entries.prefix(2).allSatisfy { $0.personalErased && !$0.fields.contains(where: \.personal) })
        #expect(entries.suffix(2).allSatisfy { !$0.personalErased })
        let text = entries.flatMap(\.fields).compactMap { ($0.before ?? "") + ($0.after ?? "") }.joined()
        #expect(!text.contains("erin@example.com") && !text.contains("Erin"))
        #expect(try await store.verifyChangeLog(expectedHead: nil).intact)
        await #expect(throws: CRMError.self) { try await store.eraseCustomer(id: made.id, expectedVersion: 1) }
        await #expect(throws: CRMError.notFound("customers/99")) {
            try await store.eraseCustomer(id: 99, expectedVersion: nil)
        }
    }
}

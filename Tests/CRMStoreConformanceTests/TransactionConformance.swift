import Foundation
import Testing

@testable import CRMCore

@Suite("Store contract: transactions and the rules every write keeps")
struct TransactionConformance {
    struct Stop: Error {}

    @Test("writes of one transaction commit together and see each other", arguments: StoreFactory.all)
    func commitTogether(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let (customer, order) = try await registry.store.transaction { transaction in
            let customer = try transaction.createCustomer(Customer(displayName: "Ada", externalID: "A"), field: "c")
            let order = try transaction.createOrder(
                Order(
                    customerID: customer.id,
                    currencyCode: "EUR",
                    lineItems: [LineItem(productName: "Book", quantity: 1, unitPriceMinor: 500)],
                    orderTime: Date()
                ),
                field: "o"
            )
            _ = try transaction.createPayment(
                Payment(orderID: order.id, amountMinor: 200, currencyCode: "EUR", paidTime: Date()),
                field: "p"
            )
            // A read inside the transaction sees what it wrote.
            #expect(try transaction.order(id: order.id).paidMinor == 200)
            return (customer, order)
        }
        #expect(try await registry.store.customer(id: customer.id).displayName == "Ada")
        #expect(try await registry.store.order(id: order.id).paidMinor == 200)
        let statistics = try await registry.store.statistics()
        #expect([statistics.customers, statistics.orders, statistics.payments] == [1, 1, 1])
    }

    @Test("a transaction that throws writes nothing, whatever it wrote before", arguments: StoreFactory.all)
    func rollBack(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let kept = try await registry.store.createCustomers([registry.customer("Kept", email: "k@example.com")])[0]
        await #expect(throws: Stop.self) {
            try await registry.store.transaction { transaction in
                let new = try transaction.createCustomer(registry.customer("New"), field: "c")
                _ = try transaction.createInteraction(
                    Interaction(customerID: new.id, kind: .call, occurTime: Date()),
                    field: "i"
                )
                _ = try transaction.updateCustomer(id: kept.id, expectedVersion: 1) { $0.displayName = "Changed" }
                _ = try transaction.deleteCustomer(id: kept.id, expectedVersion: 2)
                throw Stop()
            }
        }
        // A store error inside the transaction rolls it back the same way.
        let taken = await #expect(throws: CRMError.self) {
            try await registry.store.transaction { transaction in
                _ = try transaction.createCustomer(registry.customer("Other"), field: "c")
                _ = try transaction.createCustomer(registry.customer("Dup", email: "k@example.com"), field: "dup")
            }
        }
        #expect(taken?.code == .alreadyExists)
        #expect(taken?.violations.first?.field == "dup.email")
        let stored = try await registry.store.customer(id: kept.id)
        #expect(stored == kept)
        let statistics = try await registry.store.statistics()
        #expect([statistics.customers, statistics.deletedCustomers, statistics.interactions] == [1, 0, 0])
    }

    @Test("a write that changes nothing keeps the version; times read back as written", arguments: StoreFactory.all)
    func versionsAndTimes(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        // A time with more than microsecond precision: the store keeps microseconds, and says so.
        let since = Date(timeIntervalSince1970: 1_700_000_000.123_456_789)
        var new = registry.customer("Ada")
        new.customerSince = since
        let created = try await registry.store.createCustomers([new])[0]
        #expect(created.createTime == created.updateTime)
        #expect(try await registry.store.customer(id: created.id) == created)
        #expect(abs(created.customerSince!.timeIntervalSince(since)) < 0.000_001)

        let same = try await registry.store.updateCustomer(id: created.id, expectedVersion: 1) {
            $0.displayName = "Ada"
        }
        #expect(same == created)
        let changed = try await registry.store.updateCustomer(id: created.id, expectedVersion: 1) { $0.email = "a@b.c" }
        #expect(changed.version == 2)
        #expect(changed.updateTime >= created.updateTime)
        #expect(changed.createTime == created.createTime)
        #expect(try await registry.store.customer(id: created.id) == changed)

        let order = try await registry.store.createOrder(
            Order(customerID: created.id, currencyCode: "EUR", orderTime: since)
        )
        #expect(order.status == .pending)
        #expect(order.version == 1)
        let unchanged = try await registry.store.updateOrderStatus(id: order.id, status: .pending, expectedVersion: 1)
        #expect(unchanged == order)
        #expect(try await registry.store.order(id: order.id) == order)
    }

    @Test("owners must exist and live; the error names the field", arguments: StoreFactory.all)
    func owners(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let gone = try await registry.store.createCustomers([registry.customer("Gone", externalID: "G")])[0]
        _ = try await registry.store.deleteCustomer(id: gone.id, expectedVersion: nil)

        let missing = await #expect(throws: CRMError.self) {
            try await registry.store.createOrder(Order(customerID: 999, currencyCode: "EUR", orderTime: Date()))
        }
        #expect(missing?.code == .notFound)
        #expect(missing?.violations.first?.field == "order.customer")
        let byExternal = await #expect(throws: CRMError.self) {
            try await registry.store.createInteraction(
                Interaction(customerExternalID: "nobody", kind: .note, occurTime: Date())
            )
        }
        #expect(byExternal?.code == .notFound)
        #expect(byExternal?.violations.first?.field == "interaction.customer_external_id")
        let deleted = await #expect(throws: CRMError.self) {
            try await registry.store.createOrder(Order(customerExternalID: "G", currencyCode: "EUR", orderTime: Date()))
        }
        #expect(deleted?.code == .failedPrecondition)
        #expect(deleted?.violations.first?.field == "order.customer")
        let noOrder = await #expect(throws: CRMError.self) {
            try await registry.store.createPayment(
                Payment(orderExternalID: "none", amountMinor: 1, currencyCode: "EUR", paidTime: Date())
            )
        }
        #expect(noOrder?.violations.first?.field == "payment.order_external_id")
        let statistics = try await registry.store.statistics()
        #expect([statistics.orders, statistics.payments, statistics.interactions] == [0, 0, 0])
    }
}

import Foundation
import Testing

@testable import CRMCore

@Suite("Store contract: orders, payments, interactions")
struct OrderStoreConformance {
    func order(customer: Int64, external: String = "", currency: String = "EUR") -> Order {
        Order(
            customerID: customer,
            externalID: external,
            currencyCode: currency,
            lineItems: [
                LineItem(sku: "A", productName: "Widget", category: "hardware", quantity: 2, unitPriceMinor: 1250),
                LineItem(sku: "B", productName: "Support", category: "services", quantity: 1, unitPriceMinor: 10000),
            ],
            orderTime: Date(timeIntervalSince1970: 1_700_000_000)
        )
    }

    @Test(
        "orders keep their lines; payments add up on the order and must match its currency",
        arguments: StoreFactory.all
    )
    func ordersAndPayments(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let customer = try await registry.store.createCustomers([registry.customer("Buyer", externalID: "C1")])[0]
        let created = try await registry.store.createOrder(order(customer: customer.id, external: "O1"))
        #expect(created.status == .pending)
        #expect(created.totalMinor == 12500)
        let read = try await registry.store.order(id: created.id)
        #expect(read.lineItems.map(\.sku) == ["A", "B"])
        #expect(read.customerExternalID == "C1")

        _ = try await registry.store.createPayment(
            Payment(orderID: created.id, amountMinor: 5000, currencyCode: "EUR", paidTime: Date())
        )
        _ = try await registry.store.createPayment(
            Payment(orderExternalID: "O1", amountMinor: 2500, currencyCode: "EUR", paidTime: Date())
        )
        #expect(try await registry.store.order(id: created.id).paidMinor == 7500)
        let mismatch = await #expect(throws: CRMError.self) {
            try await registry.store.createPayment(
                Payment(orderID: created.id, amountMinor: 1, currencyCode: "USD", paidTime: Date())
            )
        }
        #expect(mismatch?.violations.first?.field == "payment.currency_code")
        let payments = try await registry.store.listPayments(ListQuery(filter: "order = \"\(created.resourceName)\""))
        #expect(payments.items.map(\.amountMinor) == [5000, 2500])
        #expect(payments.items.allSatisfy { $0.customerID == customer.id })

        let unknown = await #expect(throws: CRMError.self) {
            try await registry.store.createOrder(order(customer: 999))
        }
        #expect(unknown?.code == .notFound)
    }

    @Test("status updates check the etag; orders filter by customer and time", arguments: StoreFactory.all)
    func statusAndFilters(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let a = try await registry.store.createCustomers([registry.customer("A")])[0]
        let b = try await registry.store.createCustomers([registry.customer("B")])[0]
        let first = try await registry.store.createOrder(order(customer: a.id))
        var late = order(customer: b.id)
        late.orderTime = Date(timeIntervalSince1970: 1_750_000_000)
        _ = try await registry.store.createOrder(late)
        let shipped = try await registry.store.updateOrderStatus(id: first.id, status: .shipped, expectedVersion: 1)
        #expect(shipped.status == .shipped)
        #expect(shipped.version == 2)
        await #expect(throws: CRMError.self) {
            try await registry.store.updateOrderStatus(id: first.id, status: .completed, expectedVersion: 1)
        }
        #expect(
            try await registry.store.listOrders(ListQuery(filter: "customer = \"\(b.resourceName)\"")).items.count == 1
        )
        #expect(
            try await registry.store.listOrders(ListQuery(filter: "order_time >= \"2025-01-01T00:00:00Z\"")).items.map(
                \.customerID
            ) == [b.id]
        )
        #expect(
            try await registry.store.listOrders(ListQuery(filter: "status = shipped")).items.map(\.id) == [first.id]
        )
    }

    @Test("interactions resolve their customer by external id and filter by kind", arguments: StoreFactory.all)
    func interactions(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let customer = try await registry.store.createCustomers([registry.customer("A", externalID: "C9")])[0]
        let call = try await registry.store.createInteraction(
            Interaction(
                customerExternalID: "C9",
                kind: .call,
                direction: .inbound,
                occurTime: Date(timeIntervalSince1970: 1_700_000_000),
                subject: "Hello"
            )
        )
        #expect(call.customerID == customer.id)
        _ = try await registry.store.createInteraction(
            Interaction(
                customerID: customer.id,
                kind: .visit,
                direction: .outbound,
                occurTime: Date(timeIntervalSince1970: 1_700_000_100)
            )
        )
        #expect(
            try await registry.store.listInteractions(ListQuery(filter: "kind = call")).items.map(\.subject) == [
                "Hello"
            ]
        )
        let missing = await #expect(throws: CRMError.self) {
            try await registry.store.createInteraction(
                Interaction(customerExternalID: "nope", kind: .note, occurTime: Date())
            )
        }
        #expect(missing?.code == .notFound)
    }

    @Test(
        "orders, payments and interactions are corrected with versions; paid amounts follow; deletes remove",
        arguments: StoreFactory.all
    )
    func corrections(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let store = registry.store
        let customers = try await store.createCustomers([registry.customer("A"), registry.customer("B")])
        let first = try await store.createOrder(order(customer: customers[0].id))
        let second = try await store.createOrder(order(customer: customers[0].id))
        let payment = try await store.createPayment(
            Payment(orderID: first.id, amountMinor: 5000, currencyCode: "EUR", paidTime: Date(timeIntervalSince1970: 1))
        )
        #expect(payment.version == 1 && payment.etag == "\"1\"")

        // A payment moved to another order with a new amount: both orders' paid amounts follow.
        let moved = try await store.updatePayment(id: payment.id, expectedVersion: 1) { payment in
            payment.orderID = second.id
            payment.orderExternalID = ""
            payment.amountMinor = 7000
        }
        #expect(moved.version == 2 && moved.orderID == second.id && moved.amountMinor == 7000)
        #expect(try await store.order(id: first.id).paidMinor == 0)
        #expect(try await store.order(id: second.id).paidMinor == 7000)
        let unchanged = try await store.updatePayment(id: payment.id, expectedVersion: nil) { _ in }
        #expect(unchanged.version == 2, "a change that changes nothing writes nothing")
        await #expect(throws: CRMError.self) {
            try await store.updatePayment(id: payment.id, expectedVersion: 1) { $0.amountMinor = 1 }
        }
        let wrongCurrency = await #expect(throws: CRMError.self) {
            try await store.updatePayment(id: payment.id, expectedVersion: nil) { $0.currencyCode = "USD" }
        }
        #expect(wrongCurrency?.violations.first?.field == "payment.currency_code")
        #expect(try await store.payment(id: payment.id).amountMinor == 7000, "a refused change changes nothing")

        // An order's lines are replaced; with payments it keeps its currency.
        let relined = try await store.updateOrder(id: second.id, expectedVersion: second.version) { order in
            order.lineItems = [
                LineItem(sku: "C", productName: "Cable", category: "hardware", quantity: 3, unitPriceMinor: 500)
            ]
        }
        #expect(relined.version == second.version + 1 && relined.totalMinor == 1500 && relined.paidMinor == 7000)
        #expect(try await store.order(id: second.id).lineItems.map(\.sku) == ["C"])
        let currency = await #expect(throws: CRMError.self) {
            try await store.updateOrder(id: second.id, expectedVersion: nil) { $0.currencyCode = "USD" }
        }
        #expect(currency?.violations.first?.field == "order.currency_code")
        let stale = await #expect(throws: CRMError.self) {
            try await store.updateOrder(id: second.id, expectedVersion: second.version) { $0.status = .shipped }
        }
        #expect(stale?.code == .aborted)
        // Moving the order moves its payments' customer too.
        _ = try await store.updateOrder(id: second.id, expectedVersion: nil) { order in
            order.customerID = customers[1].id
            order.customerExternalID = ""
        }
        #expect(try await store.payment(id: payment.id).customerID == customers[1].id)

        let deleted = try await store.deletePayment(id: payment.id, expectedVersion: 2)
        #expect(deleted.id == payment.id)
        #expect(try await store.order(id: second.id).paidMinor == 0)
        await #expect(throws: CRMError.notFound("payments/\(payment.id)")) { try await store.payment(id: payment.id) }

        let contact = try await store.createInteraction(
            Interaction(
                customerID: customers[0].id,
                kind: .call,
                occurTime: Date(timeIntervalSince1970: 10),
                subject: "Hi"
            )
        )
        #expect(contact.version == 1)
        let corrected = try await store.updateInteraction(id: contact.id, expectedVersion: 1) { interaction in
            interaction.subject = "Quote sent"
            interaction.customerID = customers[1].id
            interaction.customerExternalID = ""
        }
        #expect(corrected.version == 2 && corrected.subject == "Quote sent" && corrected.customerID == customers[1].id)
        let staleDelete = await #expect(throws: CRMError.self) {
            try await store.deleteInteraction(id: contact.id, expectedVersion: 1)
        }
        #expect(staleDelete?.code == .aborted)
        _ = try await store.deleteInteraction(id: contact.id, expectedVersion: 2)
        await #expect(throws: CRMError.self) { try await store.interaction(id: contact.id) }
    }
}

import CRMTestSupport
import Foundation
import Testing

@testable import CRMCore

@Suite("Store contract: customer histories")
struct HistoryStoreConformance {
    typealias R = TinyRegistry

    @Test(
        "every live customer with their orders, lines and interactions in time order; deleted ones left out",
        arguments: StoreFactory.all
    )
    func customerHistories(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let store = registry.store
        let customers = try await store.createCustomers([
            Customer(
                displayName: "Ada",
                tags: ["vip"],
                attributes: ["industry": "retail"],
                externalID: "A",
                customerSince: R.day(0)
            ),
            Customer(displayName: "Bo"),
            Customer(displayName: "Dee"),
        ])
        let (ada, bo, dee) = (customers[0], customers[1], customers[2])

        // Stored out of time order: the history sorts them.
        let late = try await store.createOrder(
            R.order(0, ada.id, day: 300, "EUR", [R.line("books", 1, 3000), R.line("music", 2, 500)])
        )
        let early = try await store.createOrder(
            R.order(0, ada.id, day: 20, "EUR", [R.line("books", 2, 1000)], status: .cancelled)
        )
        let yen = try await store.createOrder(R.order(0, bo.id, day: 250, "JPY", [R.line("garden", 1, 4000)]))
        _ = try await store.createOrder(R.order(0, dee.id, day: 10, "EUR", [R.line("toys", 1, 100)]))
        let meeting = try await store.createInteraction(
            R.contact(0, ada.id, day: 390, .meeting, outcome: "lost", topic: "delivery")
        )
        let call = try await store.createInteraction(R.contact(0, ada.id, day: 200, .call, outcome: "won"))
        _ = try await store.createInteraction(R.contact(0, dee.id, day: 5, .note))
        _ = try await store.deleteCustomer(id: dee.id, expectedVersion: nil)

        let histories = try await store.customerHistories()
        #expect(histories.map(\.customer.id) == [ada.id, bo.id])
        #expect(histories[0].customer == ada)
        #expect(histories[0].orders == [early, late])
        #expect(histories[0].orders[1].lineItems.map(\.category) == ["books", "music"])
        #expect(histories[0].interactions == [call, meeting])
        #expect(histories[1].orders == [yen])
        #expect(histories[1].interactions.isEmpty)

        // Limited to some customers: the same histories, only theirs; deleted and unknown ids left out.
        let some = try await store.customerHistories(ids: [bo.id, dee.id, 999])
        #expect(some == [histories[1]])
        #expect(try await store.customerHistories(ids: [ada.id, bo.id]) == histories)
        #expect(try await store.customerHistories(ids: []).isEmpty)
    }

    @Test("an empty registry has no histories", arguments: StoreFactory.all)
    func empty(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        #expect(try await registry.store.customerHistories().isEmpty)
    }
}

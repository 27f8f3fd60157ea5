import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

/// GetCustomerSummary, LookupCustomer and the customer-scoped lists, through the generated client and
/// through crmctl.
@Suite("One view of a customer, and finding one")
struct CustomerSummaryTests {
    /// Ada: two EUR purchases (30.00 and 12.50), one cancelled EUR order (99.00, paid and to be refunded),
    /// one GBP purchase (5.00, unpaid); payments 30.00 EUR and 99.00 EUR; two interactions. Bob: one order.
    static func seed(_ server: some RunningServer) async throws -> (ada: String, bob: String) {
        let ada = try await server.createCustomer(
            Fixture.customer(
                "Ada Lovelace",
                email: "ada@example.com",
                phone: "040 2007233",
                country: "DE",
                externalID: "C-ADA"
            )
        )
        let bob = try await server.createCustomer(Fixture.customer("Bob", email: "bob@example.com"))
        let first = try await server.createOrder(
            Fixture.order(
                customer: ada.name,
                items: [Fixture.lineItem("Book", category: "books", quantity: 2, unitPrice: 1500)],
                time: "2025-01-10T10:00:00Z",
                status: .completed
            )
        )
        _ = try await server.createOrder(
            Fixture.order(
                customer: ada.name,
                items: [Fixture.lineItem("Pen", category: "office", quantity: 1, unitPrice: 1250)],
                time: "2025-03-01T10:00:00Z",
                status: .confirmed
            )
        )
        let cancelled = try await server.createOrder(
            Fixture.order(
                customer: ada.name,
                items: [Fixture.lineItem("Desk", category: "furniture", quantity: 1, unitPrice: 9900)],
                time: "2025-02-01T10:00:00Z",
                status: .cancelled
            )
        )
        _ = try await server.createOrder(
            Fixture.order(
                customer: ada.name,
                currency: "GBP",
                items: [Fixture.lineItem("Tea", category: "food", quantity: 1, unitPrice: 500)],
                time: "2025-02-15T10:00:00Z",
                status: .completed
            )
        )
        _ = try await server.createPayment(
            Fixture.payment(order: first.name, amount: 3000, time: "2025-01-11T10:00:00Z")
        )
        _ = try await server.createPayment(
            Fixture.payment(order: cancelled.name, amount: 9900, time: "2025-02-02T10:00:00Z")
        )
        for (time, subject) in [("2025-03-05T09:00:00Z", "Asked for a quote"), ("2024-12-01T09:00:00Z", "First call")] {
            var contact = Fixture.interaction(customer: ada.name, time: time, subject: subject)
            contact.topic = "books"
            _ = try await server.interactions.createInteraction(.with { $0.interaction = contact })
        }
        _ = try await server.createOrder(
            Fixture.order(
                customer: bob.name,
                items: [Fixture.lineItem("Book", category: "books", quantity: 1, unitPrice: 700)],
                time: "2025-04-01T10:00:00Z"
            )
        )
        return (ada.name, bob.name)
    }

    @Test("the summary adds up per currency over purchases, and its timeline is newest first and cut")
    func summary() async throws {
        try await withInProcessServer { server in
            let (ada, _) = try await Self.seed(server)
            let summary = try await server.customers.getCustomerSummary(.with { $0.name = ada })
            #expect(summary.customer.name == ada)
            #expect(summary.orderCount == 3, "the cancelled order is no purchase")
            #expect(summary.paymentCount == 2)
            #expect(summary.interactionCount == 2)
            #expect(summary.lastOrderTime == Fixture.timestamp("2025-03-01T10:00:00Z"))
            #expect(summary.lastContactTime == Fixture.timestamp("2025-03-05T09:00:00Z"))
            let totals = Dictionary(uniqueKeysWithValues: summary.totals.map { ($0.currencyCode, $0) })
            #expect(summary.totals.map(\.currencyCode) == ["EUR", "GBP"])
            #expect(totals["EUR"].map { [$0.orderedMinor, $0.paidMinor, $0.openBalanceMinor] } == [4250, 3000, 1250])
            #expect(totals["GBP"].map { [$0.orderedMinor, $0.paidMinor, $0.openBalanceMinor] } == [500, 0, 500])
            // 4 orders + 2 payments + 2 interactions, newest first.
            #expect(summary.timeline.count == 8)
            let times = summary.timeline.map { $0.time.seconds }
            #expect(times == times.sorted(by: >))
            #expect(summary.timeline.first?.interaction.subject == "Asked for a quote")
            #expect(!summary.hasLatestPrediction, "no model yet")

            let cut = try await server.customers.getCustomerSummary(
                .with {
                    $0.name = ada
                    $0.timelineSize = 3
                }
            )
            #expect(cut.timeline.count == 3)
            #expect(cut.timeline.map { $0.time.seconds } == Array(times.prefix(3)))

            await expectRPCError(.invalidArgument, field: "timeline_size") {
                try await server.customers.getCustomerSummary(
                    .with {
                        $0.name = ada
                        $0.timelineSize = 201
                    }
                )
            }
            await expectRPCError(.invalidArgument, field: "name") {
                try await server.customers.getCustomerSummary(.with { $0.name = "orders/1" })
            }
            await expectRPCError(.notFound) {
                try await server.customers.getCustomerSummary(.with { $0.name = "customers/999" })
            }
        }
    }

    @Test("lookup by external id or email; a deleted customer only by external id with show_deleted")
    func lookup() async throws {
        try await withInProcessServer { server in
            let (ada, bob) = try await Self.seed(server)
            #expect(try await server.customers.lookupCustomer(.with { $0.externalID = "C-ADA" }).name == ada)
            #expect(try await server.customers.lookupCustomer(.with { $0.email = "ADA@Example.com" }).name == ada)
            #expect(try await server.customers.lookupCustomer(.with { $0.email = "  ada@example.com " }).name == ada)
            await expectRPCError(.invalidArgument, field: "email") {
                try await server.customers.lookupCustomer(.with { $0.email = "ada.example.com" })
            }
            await expectRPCError(.notFound) {
                try await server.customers.lookupCustomer(.with { $0.externalID = "C-NOBODY" })
            }
            await expectRPCError(.invalidArgument, field: "key") {
                try await server.customers.lookupCustomer(Crm_V1_LookupCustomerRequest())
            }
            await expectRPCError(.invalidArgument, field: "email") {
                try await server.customers.lookupCustomer(.with { $0.email = "" })
            }
            _ = try await server.customers.deleteCustomer(.with { $0.name = ada })
            await expectRPCError(.notFound) {
                try await server.customers.lookupCustomer(.with { $0.email = "ada@example.com" })
            }
            await expectRPCError(.notFound) {
                try await server.customers.lookupCustomer(.with { $0.externalID = "C-ADA" })
            }
            let deleted = try await server.customers.lookupCustomer(
                .with {
                    $0.externalID = "C-ADA"
                    $0.showDeleted = true
                }
            )
            #expect(deleted.name == ada && deleted.hasDeleteTime)
            #expect(try await server.customers.lookupCustomer(.with { $0.email = "bob@example.com" }).name == bob)
        }
    }

    @Test("crmctl customer show, get --external-id/--email, and --customer on the lists")
    func throughCrmctl() async throws {
        try await withDaemon { daemon in
            let (ada, bob) = try await Self.seed(daemon)
            let shown = try await daemon.crmctl(["customer", "show", ada, "-o", "table"])
            try #require(shown.succeeded, "\(shown)")
            #expect(shown.stdout.hasPrefix("Ada Lovelace (\(ada))"), "\(shown.stdout)")
            #expect(shown.stdout.contains("3 orders · 2 payments · 2 interactions"), "\(shown.stdout)")
            #expect(shown.stdout.contains("last order 2025-03-01"), "\(shown.stdout)")
            #expect(shown.stdout.contains("12.50 EUR"), "open EUR balance: \(shown.stdout)")
            #expect(shown.stdout.contains("Needs: no prediction yet"), "\(shown.stdout)")
            #expect(shown.stdout.contains("Asked for a quote"), "\(shown.stdout)")

            let json = try await daemon.crmctl(["customer", "show", ada, "-o", "json", "--timeline", "2"])
            try #require(json.succeeded, "\(json)")
            let summary = try Crm_V1_CustomerSummary(jsonString: json.stdout)
            #expect(summary.timeline.count == 2)
            #expect(summary.totals.first?.openBalanceMinor == 1250)

            let missing = try await daemon.crmctl(["customer", "show", "customers/999"])
            #expect(missing.exitCode == 3, "\(missing)")

            for key in [["--external-id", "C-ADA"], ["--email", "Ada@Example.com"]] {
                let found = try await daemon.crmctl(["customer", "get"] + key + ["-o", "json"])
                try #require(found.succeeded, "\(found)")
                #expect(try Crm_V1_Customer(jsonString: found.stdout).name == ada)
            }
            let none = try await daemon.crmctl(["customer", "get", "--email", "nobody@example.com"])
            #expect(none.exitCode == 3 && none.stderr.contains("nobody@example.com"), "\(none)")
            let both = try await daemon.crmctl(["customer", "get", ada, "--email", "ada@example.com"])
            #expect(both.exitCode == 2, "\(both)")

            let adaOrders = try await daemon.crmctl(["order", "list", "--customer", ada, "-o", "json"])
            try #require(adaOrders.succeeded, "\(adaOrders)")
            #expect(try Crm_V1_ListOrdersResponse(jsonString: adaOrders.stdout).orders.count == 4)
            let bobOrders = try await daemon.crmctl([
                "order", "list", "--customer", bob, "--filter", "status = \"pending\" OR status = \"completed\"",
                "-o", "json",
            ])
            try #require(bobOrders.succeeded, "\(bobOrders)")
            #expect(
                try Crm_V1_ListOrdersResponse(jsonString: bobOrders.stdout).orders.allSatisfy { $0.customer == bob }
            )
            let payments = try await daemon.crmctl(["payment", "list", "--customer", ada, "-o", "json"])
            #expect(try Crm_V1_ListPaymentsResponse(jsonString: payments.stdout).payments.count == 2, "\(payments)")
            let contacts = try await daemon.crmctl(["interaction", "list", "--customer", bob, "-o", "json"])
            #expect(
                try Crm_V1_ListInteractionsResponse(jsonString: contacts.stdout).interactions.isEmpty,
                "\(contacts)"
            )
            let bad = try await daemon.crmctl(["order", "list", "--customer", "orders/1"])
            #expect(bad.exitCode == 2, "\(bad)")
        }
    }
}

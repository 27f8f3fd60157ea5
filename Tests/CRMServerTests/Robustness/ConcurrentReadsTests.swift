import CRMProto
import Foundation
import GRPCCore
import Testing

/// Issue 9, finding 1: eight concurrent ListCustomers and two GetCustomer calls froze crmd for good
/// on a 2-core machine — the point lookups blocked both of Swift's cooperative-pool threads waiting
/// for a reader connection that only a List call resuming on that same pool could give back.
@Suite("Many concurrent callers never stall the daemon")
struct ConcurrentReadsTests {
    /// Callers at once: many more than the cooperative pool's threads (one per core) and than the
    /// store's reader connections.
    static let callers = 64
    static let callsPerCaller = 12

    @Test(
        "64 concurrent mixed reads and writes all answer, then health and SIGTERM still work",
        .timeLimit(.minutes(3))
    )
    func mixedLoad() async throws {
        try await withDaemon(logLevel: "warning") { daemon in
            let seeded = try await Self.seed(daemon)
            // Each caller has a deadline per call: a freeze shows as DEADLINE_EXCEEDED, not a hung test.
            let options: CallOptions = {
                var options = CallOptions.defaults
                options.timeout = .seconds(20)
                return options
            }()
            let connections = try (0..<8).map { _ in try daemon.connect() }
            let failures = try await withThrowingTaskGroup(of: [String].self) { group in
                for caller in 0..<Self.callers {
                    let connection = connections[caller % connections.count]
                    group.addTask {
                        var failures: [String] = []
                        for call in 0..<Self.callsPerCaller {
                            do {
                                try await Self.oneCall(
                                    kind: (caller + call) % 7,
                                    caller: caller,
                                    seeded: seeded,
                                    connection: connection,
                                    options: options
                                )
                            } catch {
                                failures.append("caller \(caller) call \(call): \(error)")
                            }
                        }
                        return failures
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            for connection in connections { await connection.close() }
            #expect(failures.isEmpty, "\(failures.count) calls failed, first: \(failures.prefix(3))")

            var healthOptions = CallOptions.defaults
            healthOptions.timeout = .seconds(2)
            let health = try await daemon.connection.health.check(
                Grpc_Health_V1_HealthCheckRequest(),
                options: healthOptions
            )
            #expect(health.status == .serving)
            // withDaemon stops it with SIGTERM and requires exit 0 within 15 s.
        }
    }

    struct Seeded: Sendable {
        var customers: [String]
        var orders: [String]
        var payments: [String]
        var interactions: [String]
    }

    /// 300 customers, and an order, a payment and an interaction for 50 of them.
    static func seed(_ daemon: Daemon) async throws -> Seeded {
        var seeded = Seeded(customers: [], orders: [], payments: [], interactions: [])
        for chunk in 0..<3 {
            var request = Crm_V1_BatchCreateCustomersRequest()
            request.requests = (0..<100).map { index in
                var item = Crm_V1_CreateCustomerRequest()
                item.customer = Fixture.customer(
                    "Load \(chunk)-\(index)",
                    email: "load-\(chunk)-\(index)@example.com",
                    city: "Lyon",
                    country: "FR"
                )
                return item
            }
            seeded.customers += try await daemon.customers.batchCreateCustomers(request).customers.map(\.name)
        }
        for customer in seeded.customers.prefix(50) {
            var order = Crm_V1_CreateOrderRequest()
            order.order = Fixture.order(
                customer: customer,
                items: [Fixture.lineItem("Rake", category: "garden", quantity: 1, unitPrice: 1999)],
                time: "2024-05-01T09:00:00Z"
            )
            let created = try await daemon.orders.createOrder(order)
            seeded.orders.append(created.name)
            var payment = Crm_V1_CreatePaymentRequest()
            payment.payment = Fixture.payment(order: created.name, amount: 1999, time: "2024-05-02T09:00:00Z")
            seeded.payments.append(try await daemon.orders.createPayment(payment).name)
            var interaction = Crm_V1_CreateInteractionRequest()
            interaction.interaction = Fixture.interaction(customer: customer)
            seeded.interactions.append(try await daemon.connection.interactions.createInteraction(interaction).name)
        }
        return seeded
    }

    /// One call of seven kinds: List (a full page), Get of each resource, Search, Create.
    static func oneCall(
        kind: Int,
        caller: Int,
        seeded: Seeded,
        connection: Connection,
        options: CallOptions
    ) async throws {
        switch kind {
        case 0, 1:
            var request = Crm_V1_ListCustomersRequest()
            request.pageSize = 1000
            let page = try await connection.customers.listCustomers(request, options: options)
            #expect(page.customers.count >= seeded.customers.count)
        case 2:
            var request = Crm_V1_GetCustomerRequest()
            request.name = seeded.customers[caller % seeded.customers.count]
            _ = try await connection.customers.getCustomer(request, options: options)
        case 3:
            var request = Crm_V1_GetOrderRequest()
            request.name = seeded.orders[caller % seeded.orders.count]
            _ = try await connection.orders.getOrder(request, options: options)
        case 4:
            var request = Crm_V1_GetPaymentRequest()
            request.name = seeded.payments[caller % seeded.payments.count]
            _ = try await connection.orders.getPayment(request, options: options)
        case 5:
            var request = Crm_V1_GetInteractionRequest()
            request.name = seeded.interactions[caller % seeded.interactions.count]
            _ = try await connection.interactions.getInteraction(request, options: options)
        default:
            var request = Crm_V1_CreateCustomerRequest()
            request.customer = Fixture.customer(
                "Writer \(caller)-\(UUID().uuidString.prefix(8))",
                email: "writer-\(UUID().uuidString.prefix(12))@example.com"
            )
            _ = try await connection.customers.createCustomer(request, options: options)
            var search = Crm_V1_SearchCustomersRequest()
            search.query = "load"
            _ = try await connection.customers.searchCustomers(search, options: options)
        }
    }
}

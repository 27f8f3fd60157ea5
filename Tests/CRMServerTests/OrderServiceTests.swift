import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

extension RunningServer {
    func createOrder(_ order: Crm_V1_Order) async throws -> Crm_V1_Order {
        var request = Crm_V1_CreateOrderRequest()
        request.order = order
        return try await orders.createOrder(request)
    }

    func createPayment(_ payment: Crm_V1_Payment) async throws -> Crm_V1_Payment {
        var request = Crm_V1_CreatePaymentRequest()
        request.payment = payment
        return try await orders.createPayment(request)
    }

    func getOrder(_ name: String) async throws -> Crm_V1_Order {
        var request = Crm_V1_GetOrderRequest()
        request.name = name
        return try await orders.getOrder(request)
    }

    func listOrders(
        filter: String = "",
        orderBy: String = "",
        pageSize: Int32 = 0
    ) async throws -> Crm_V1_ListOrdersResponse {
        var request = Crm_V1_ListOrdersRequest()
        request.filter = filter
        request.orderBy = orderBy
        request.pageSize = pageSize
        return try await orders.listOrders(request)
    }

    func listPayments(filter: String = "") async throws -> Crm_V1_ListPaymentsResponse {
        var request = Crm_V1_ListPaymentsRequest()
        request.filter = filter
        return try await orders.listPayments(request)
    }

    func importOrders(_ batches: [[Crm_V1_Order]], atomic: Bool = false) async throws -> Crm_V1_ImportSummary {
        try await orders.importOrders(requestProducer: { writer in
            for (index, batch) in batches.enumerated() {
                var message = Crm_V1_ImportOrdersRequest()
                message.orders = batch
                message.atomic = index == 0 && atomic
                try await writer.write(message)
            }
        })
    }

    func importPayments(_ batches: [[Crm_V1_Payment]]) async throws -> Crm_V1_ImportSummary {
        try await orders.importPayments(requestProducer: { writer in
            for batch in batches {
                var message = Crm_V1_ImportPaymentsRequest()
                message.payments = batch
                try await writer.write(message)
            }
        })
    }
}

@Suite("OrderService end to end: orders, line items, payments")
struct OrderServiceTests {
    @Test("create computes line and order totals; get returns the same order")
    func createAndGet() async throws {
        try await withInProcessServer { server in
            let buyer = try await server.createCustomer(Fixture.customer("Buyer", externalID: "C-1"))
            let order = try await server.createOrder(
                Fixture.order(
                    customer: buyer.name,
                    externalID: "O-1",
                    items: [
                        Fixture.lineItem("Rake", category: "garden", quantity: 2, unitPrice: 1250),
                        Fixture.lineItem("Seeds", category: "garden", quantity: 1, unitPrice: 999),
                        Fixture.lineItem("Gloves", category: "apparel", quantity: 3, unitPrice: 0),
                    ],
                    time: "2024-01-15T09:30:00Z"
                )
            )
            #expect(order.name.wholeMatch(of: /orders\/[1-9][0-9]*/) != nil, "name \(order.name)")
            #expect(order.customer == buyer.name)
            #expect(order.customerExternalID == "C-1", "filled on output")
            #expect(order.lineItems.map(\.totalMinor) == [2500, 999, 0])
            #expect(order.totalMinor == 3499)
            #expect(order.paidMinor == 0)
            #expect(order.currencyCode == "EUR")
            #expect(order.orderTime == Fixture.timestamp("2024-01-15T09:30:00Z"))
            #expect(!order.etag.isEmpty)
            #expect(try await server.getOrder(order.name) == order)

            // The buyer may also be named by external id; order_time defaults to now.
            let byExternal = try await server.createOrder(
                Fixture.order(
                    customerExternalID: "C-1",
                    items: [Fixture.lineItem("Hose", category: "garden", quantity: 1, unitPrice: 1999)]
                )
            )
            #expect(byExternal.customer == buyer.name)
            #expect(byExternal.hasOrderTime && byExternal.orderTime.seconds > 1_700_000_000)
        }
    }

    @Test("list filters by customer and by an order_time range")
    func listFilters() async throws {
        try await withInProcessServer { server in
            let alice = try await server.createCustomer(Fixture.customer("Alice"))
            let bob = try await server.createCustomer(Fixture.customer("Bob"))
            let item = [Fixture.lineItem("Thing", category: "misc", quantity: 1, unitPrice: 100)]
            var made: [String: Crm_V1_Order] = [:]
            for (key, who, time) in [
                ("a-2023-03", alice, "2023-03-01T12:00:00Z"),
                ("a-2023-06", alice, "2023-06-01T12:00:00Z"),
                ("a-2024-01", alice, "2024-01-15T12:00:00Z"),
                ("b-2023-07", bob, "2023-07-04T12:00:00Z"),
            ] {
                made[key] = try await server.createOrder(Fixture.order(customer: who.name, items: item, time: time))
            }
            let ofAlice = try await server.listOrders(filter: "customer = \"\(alice.name)\"")
            #expect(ofAlice.orders.count == 3)
            #expect(ofAlice.totalSize == 3)
            #expect(ofAlice.orders.allSatisfy { $0.customer == alice.name })

            let range = #"order_time >= "2023-05-01T00:00:00Z" AND order_time < "2024-01-01T00:00:00Z""#
            let inRange = try await server.listOrders(filter: range, orderBy: "order_time")
            #expect(inRange.orders.map(\.name) == [made["a-2023-06"]!.name, made["b-2023-07"]!.name])

            let both = try await server.listOrders(filter: "customer = \"\(alice.name)\" AND \(range)")
            #expect(both.orders.map(\.name) == [made["a-2023-06"]!.name])

            let newestFirst = try await server.listOrders(orderBy: "order_time desc", pageSize: 2)
            #expect(newestFirst.orders.map(\.name) == [made["a-2024-01"]!.name, made["b-2023-07"]!.name])
            #expect(newestFirst.totalSize == 4)
            #expect(!newestFirst.nextPageToken.isEmpty)

            await expectRPCError(.invalidArgument, field: "filter", "bad order filter") {
                try await server.listOrders(filter: "order_time >>> 3")
            }
        }
    }

    @Test("update changes only the masked fields; an unknown path, a bad value or a stale etag changes nothing")
    func updateStatus() async throws {
        try await withInProcessServer { server in
            let buyer = try await server.createCustomer(Fixture.customer("Buyer"))
            let order = try await server.createOrder(
                Fixture.order(
                    customer: buyer.name,
                    items: [Fixture.lineItem("Desk", category: "furniture", quantity: 1, unitPrice: 25_000)]
                )
            )
            var request = Crm_V1_UpdateOrderRequest()
            request.order.name = order.name
            request.order.status = .shipped
            request.order.currencyCode = "USD"
            request.updateMask = Fixture.mask("status")
            let shipped = try await server.orders.updateOrder(request)
            #expect(shipped.status == .shipped)
            #expect(shipped.currencyCode == "EUR", "only status changes")
            #expect(shipped.totalMinor == 25_000)
            #expect(shipped.etag != order.etag)

            for paths in [["create_time"], ["status", "paid_minor"], ["name"]] {
                var bad = request
                bad.order.status = .completed
                bad.updateMask.paths = paths
                await expectRPCError(.invalidArgument, field: "update_mask", "mask \(paths)") {
                    try await server.orders.updateOrder(bad)
                }
            }
            var noLines = request
            noLines.updateMask.paths = ["status", "line_items"]
            await expectRPCError(.invalidArgument, field: "order.line_items", "no lines") {
                try await server.orders.updateOrder(noLines)
            }
            var notACustomer = request
            notACustomer.order.customer = "orders/1"
            notACustomer.updateMask.paths = ["customer"]
            await expectRPCError(.invalidArgument, field: "order.customer", "a customer name") {
                try await server.orders.updateOrder(notACustomer)
            }
            #expect(try await server.getOrder(order.name).etag == shipped.etag, "refused updates changed nothing")

            var relined = Crm_V1_UpdateOrderRequest()
            relined.order.name = order.name
            relined.order.lineItems = [
                Fixture.lineItem("Chair", category: "furniture", quantity: 2, unitPrice: 9_000),
                Fixture.lineItem("Lamp", category: "lighting", quantity: 1, unitPrice: 4_000),
            ]
            relined.order.currencyCode = "USD"
            let corrected = try await server.orders.updateOrder(relined)
            #expect(corrected.lineItems.map(\.productName) == ["Chair", "Lamp"], "an empty mask: the fields set")
            #expect(corrected.totalMinor == 22_000 && corrected.currencyCode == "USD" && corrected.status == .shipped)
            var stale = request
            stale.order.etag = order.etag
            stale.order.status = .cancelled
            await expectRPCError(.aborted, "stale order etag") { try await server.orders.updateOrder(stale) }

            var unknown = request
            unknown.order.name = "orders/999999"
            await expectRPCError(.notFound, "unknown order") { try await server.orders.updateOrder(unknown) }

            #expect(try await server.getOrder(order.name).status == .shipped)
            #expect(try await server.getOrder(order.name).totalMinor == 22_000)
        }
    }

    @Test("order validation names the field and writes nothing")
    func orderValidation() async throws {
        try await withInProcessServer { server in
            let buyer = try await server.createCustomer(Fixture.customer("Buyer"))
            let good = Fixture.lineItem("Lamp", category: "lighting", quantity: 1, unitPrice: 4_000)
            var noProduct = good
            noProduct.productName = ""
            var noCategory = good
            noCategory.category = ""
            var zeroQuantity = good
            zeroQuantity.quantity = 0
            var negativePrice = good
            negativePrice.unitPriceMinor = -1
            let cases: [(String, Crm_V1_Order)] = [
                ("order.line_items", Fixture.order(customer: buyer.name, items: [])),
                ("order.currency_code", Fixture.order(customer: buyer.name, currency: "EURO", items: [good])),
                ("order.currency_code", Fixture.order(customer: buyer.name, currency: "", items: [good])),
                ("order.line_items[0].product_name", Fixture.order(customer: buyer.name, items: [noProduct])),
                ("order.line_items[1].category", Fixture.order(customer: buyer.name, items: [good, noCategory])),
                ("order.line_items[0].quantity", Fixture.order(customer: buyer.name, items: [zeroQuantity])),
                ("order.line_items[0].unit_price_minor", Fixture.order(customer: buyer.name, items: [negativePrice])),
                ("order.customer", Fixture.order(items: [good])),
                ("order.customer", Fixture.order(customer: "people/1", items: [good])),
            ]
            for (field, order) in cases {
                await expectRPCError(.invalidArgument, field: field, "order with bad \(field)") {
                    try await server.createOrder(order)
                }
            }
            await expectRPCError(
                oneOf: [.notFound, .invalidArgument, .failedPrecondition],
                "order for unknown customer"
            ) {
                try await server.createOrder(Fixture.order(customer: "customers/999999", items: [good]))
            }
            await expectRPCError(
                oneOf: [.notFound, .invalidArgument, .failedPrecondition],
                "order for unknown external id"
            ) {
                try await server.createOrder(Fixture.order(customerExternalID: "nobody", items: [good]))
            }
            let first = try await server.createOrder(
                Fixture.order(customer: buyer.name, externalID: "ERP-7", items: [good])
            )
            await expectRPCError(.alreadyExists, "duplicate order external_id") {
                try await server.createOrder(Fixture.order(customer: buyer.name, externalID: "ERP-7", items: [good]))
            }
            _ = try await server.createPayment(Fixture.payment(order: first.name, externalID: "PAY-7", amount: 100))
            await expectRPCError(.alreadyExists, "duplicate payment external_id") {
                try await server.createPayment(Fixture.payment(order: first.name, externalID: "PAY-7", amount: 100))
            }
            await expectRPCError(.notFound, "get unknown order") { try await server.getOrder("orders/999999") }
            await expectRPCError(.invalidArgument, field: "name", "get malformed order name") {
                try await server.getOrder("orders/x")
            }
            let stats = try await server.stats()
            #expect(stats.orders == 1, "only the one valid order was written")
            #expect(stats.payments == 1)
        }
    }

    @Test("payments grow paid_minor; a currency mismatch or bad amount is INVALID_ARGUMENT")
    func payments() async throws {
        try await withInProcessServer { server in
            let buyer = try await server.createCustomer(Fixture.customer("Buyer"))
            let order = try await server.createOrder(
                Fixture.order(
                    customer: buyer.name,
                    externalID: "O-9",
                    items: [Fixture.lineItem("Bike", category: "sport", quantity: 1, unitPrice: 60_000)]
                )
            )
            let first = try await server.createPayment(
                Fixture.payment(order: order.name, amount: 10_000, time: "2024-02-01T08:00:00Z")
            )
            #expect(first.name.wholeMatch(of: /payments\/[1-9][0-9]*/) != nil, "name \(first.name)")
            #expect(first.order == order.name)
            #expect(first.customer == buyer.name, "output: the order's customer")
            #expect(first.amountMinor == 10_000)
            #expect(try await server.getOrder(order.name).paidMinor == 10_000)

            _ = try await server.createPayment(Fixture.payment(orderExternalID: "O-9", amount: 5_000, method: "cash"))
            #expect(try await server.getOrder(order.name).paidMinor == 15_000)

            var get = Crm_V1_GetPaymentRequest()
            get.name = first.name
            #expect(try await server.orders.getPayment(get) == first)

            await expectRPCError(.invalidArgument, field: "payment.currency_code", "currency mismatch") {
                try await server.createPayment(Fixture.payment(order: order.name, amount: 100, currency: "USD"))
            }
            await expectRPCError(.invalidArgument, field: "payment.amount_minor", "zero amount") {
                try await server.createPayment(Fixture.payment(order: order.name, amount: 0))
            }
            await expectRPCError(.invalidArgument, field: "payment.amount_minor", "negative amount") {
                try await server.createPayment(Fixture.payment(order: order.name, amount: -5))
            }
            await expectRPCError(
                oneOf: [.notFound, .invalidArgument, .failedPrecondition],
                "payment for unknown order"
            ) {
                try await server.createPayment(Fixture.payment(order: "orders/999999", amount: 100))
            }
            #expect(try await server.getOrder(order.name).paidMinor == 15_000, "rejected payments add nothing")

            let listed = try await server.listPayments(filter: "order = \"\(order.name)\"")
            #expect(listed.payments.count == 2)
            #expect(listed.totalSize == 2)
            let byCustomer = try await server.listPayments(filter: "customer = \"\(buyer.name)\"")
            #expect(byCustomer.payments.count == 2)
            let stats = try await server.stats()
            #expect(stats.payments == 2)
            #expect(stats.orders == 1)
        }
    }

    @Test("import orders and payments keyed by external ids; unknown references are failure rows")
    func importOrdersAndPayments() async throws {
        try await withInProcessServer { server in
            _ = try await server.importCustomers([
                [Fixture.customer("Ann", externalID: "C-A"), Fixture.customer("Bo", externalID: "C-B")]
            ])
            let lines = [Fixture.lineItem("Tent", category: "outdoor", quantity: 1, unitPrice: 15_000)]
            let orders = [
                Fixture.order(
                    customerExternalID: "C-A",
                    externalID: "O-A1",
                    items: lines,
                    time: "2023-01-01T10:00:00Z",
                    status: .completed
                ),
                Fixture.order(
                    customerExternalID: "C-B",
                    externalID: "O-B1",
                    items: lines + lines,
                    time: "2023-02-01T10:00:00Z",
                    status: .completed
                ),
            ]
            let first = try await server.importOrders([orders])
            #expect(first.created == 2)
            #expect(first.failed == 0)

            var changed = orders
            changed[1].status = .refunded
            let second = try await server.importOrders([changed])
            #expect(second.unchanged == 1)
            #expect(second.updated == 1)
            #expect(second.created == 0)

            let withUnknown = try await server.importOrders([
                [
                    Fixture.order(
                        customerExternalID: "C-A",
                        externalID: "O-A2",
                        items: lines,
                        time: "2023-03-01T10:00:00Z"
                    )
                ],
                [
                    Fixture.order(
                        customerExternalID: "C-NOPE",
                        externalID: "O-X",
                        items: lines,
                        time: "2023-03-01T10:00:00Z"
                    )
                ],
            ])
            #expect(withUnknown.created == 1)
            #expect(withUnknown.failed == 1)
            #expect(withUnknown.failures.first?.index == 1)
            #expect(withUnknown.failures.first?.externalID == "O-X")
            #expect(
                withUnknown.failures.first.map { $0.field.hasSuffix("customer_external_id") } == true,
                "\(withUnknown.failures)"
            )

            let all = try await server.listOrders(orderBy: "order_time")
            #expect(all.totalSize == 3)
            let b1 = try #require(all.orders.first { $0.externalID == "O-B1" })
            #expect(b1.status == .refunded)
            #expect(b1.totalMinor == 30_000)
            #expect(b1.customerExternalID == "C-B")

            let payments = try await server.importPayments([
                [
                    Fixture.payment(
                        orderExternalID: "O-A1",
                        externalID: "P-1",
                        amount: 15_000,
                        time: "2023-01-02T10:00:00Z"
                    ),
                    Fixture.payment(
                        orderExternalID: "O-B1",
                        externalID: "P-2",
                        amount: 10_000,
                        time: "2023-02-02T10:00:00Z"
                    ),
                ],
                [
                    Fixture.payment(
                        orderExternalID: "O-NOPE",
                        externalID: "P-3",
                        amount: 1,
                        time: "2023-03-02T10:00:00Z"
                    )
                ],
            ])
            #expect(payments.created == 2)
            #expect(payments.failed == 1)
            #expect(payments.failures.first?.index == 2)
            #expect(
                payments.failures.first.map { $0.field.hasSuffix("order_external_id") } == true,
                "\(payments.failures)"
            )
            let again = try await server.importPayments([
                [
                    Fixture.payment(
                        orderExternalID: "O-A1",
                        externalID: "P-1",
                        amount: 15_000,
                        time: "2023-01-02T10:00:00Z"
                    )
                ]
            ])
            #expect(again.unchanged == 1)
            #expect(again.created == 0)

            #expect(
                try #require(try await server.listOrders(filter: #"external_id = "O-B1""#).orders.first).paidMinor
                    == 10_000
            )
            #expect(try await server.stats().payments == 2)
        }
    }
}

import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

/// Issue 9, finding 2: a Timestamp with seconds ≥ 9,223,372,036,855 trapped with an arithmetic
/// overflow on every write carrying a time, and `Predict` with `as_of.seconds = 2^63−1` trapped
/// inside SwiftProtobuf. Every Timestamp and Duration of every request is now checked against
/// protobuf's documented range and refused with INVALID_ARGUMENT naming the field.
@Suite("Times outside protobuf's range are refused, never crash")
struct TimeRangeTests {
    static let overflowing: [Google_Protobuf_Timestamp] = [
        .init(seconds: 9_223_372_036_855, nanos: 0),
        .init(seconds: -9_223_372_036_855, nanos: 0),
        .init(seconds: .max, nanos: 0),
        .init(seconds: .min, nanos: 0),
        .init(seconds: 253_402_300_800, nanos: 0),  // 10000-01-01T00:00:00Z
        .init(seconds: 1_700_000_000, nanos: -1),
        .init(seconds: 1_700_000_000, nanos: 1_000_000_000),
        .init(seconds: 1_700_000_000, nanos: .max),
    ]

    @Test("customer, order, payment, interaction, import, predict and train times", .timeLimit(.minutes(2)))
    func everyTimeField() async throws {
        try await withDaemon(logLevel: "info") { daemon in
            let customer = try await daemon.createCustomer(Fixture.customer("Ada", email: "ada@example.com"))
            var orderRequest = Crm_V1_CreateOrderRequest()
            orderRequest.order = Fixture.order(
                customer: customer.name,
                items: [Fixture.lineItem("Rake", category: "garden", quantity: 1, unitPrice: 100)],
                time: "2024-01-02T10:00:00Z"
            )
            let order = try await daemon.orders.createOrder(orderRequest)
            let before = try await daemon.stats()

            for (index, time) in Self.overflowing.enumerated() {
                let what = "time #\(index) (\(time.seconds) s, \(time.nanos) ns)"
                var create = Crm_V1_CreateCustomerRequest()
                create.customer = Fixture.customer("Bob \(index)")
                create.customer.customerSince = time
                await expectRPCError(.invalidArgument, field: "customer.customer_since", "create customer, \(what)") {
                    try await daemon.customers.createCustomer(create)
                }

                var update = Crm_V1_UpdateCustomerRequest()
                update.customer = customer
                update.customer.customerSince = time
                update.updateMask = Fixture.mask("customer_since")
                await expectRPCError(.invalidArgument, field: "customer.customer_since", "update customer, \(what)") {
                    try await daemon.customers.updateCustomer(update)
                }

                var newOrder = orderRequest
                newOrder.order.orderTime = time
                await expectRPCError(.invalidArgument, field: "order.order_time", "create order, \(what)") {
                    try await daemon.orders.createOrder(newOrder)
                }

                var payment = Crm_V1_CreatePaymentRequest()
                payment.payment = Fixture.payment(order: order.name, amount: 100)
                payment.payment.paidTime = time
                await expectRPCError(.invalidArgument, field: "payment.paid_time", "create payment, \(what)") {
                    try await daemon.orders.createPayment(payment)
                }

                var interaction = Crm_V1_CreateInteractionRequest()
                interaction.interaction = Fixture.interaction(customer: customer.name)
                interaction.interaction.occurTime = time
                await expectRPCError(
                    .invalidArgument,
                    field: "interaction.occur_time",
                    "create interaction, \(what)"
                ) {
                    try await daemon.interactions.createInteraction(interaction)
                }

                var imported = Fixture.customer("Imported \(index)", externalID: "IMP-\(index)")
                imported.customerSince = time
                await expectRPCError(.invalidArgument, field: "customers[0].customer_since", "import, \(what)") {
                    try await daemon.importCustomers([[imported]])
                }

                var predict = Crm_V1_PredictRequest()
                predict.model = "models/1"
                predict.asOf = time
                await expectRPCError(.invalidArgument, field: "as_of", "predict, \(what)") {
                    try await daemon.connection.analysis.predict(predict)
                }

                var train = Crm_V1_TrainRequest()
                train.algorithm = "decision-tree"
                train.registry.target = "next-category"
                train.registry.cutoff = time
                await expectRPCError(.invalidArgument, field: "registry.cutoff", "train, \(what)") {
                    try await daemon.connection.analysis.train(train) { response in
                        for try await _ in response.messages {}
                    }
                }
            }

            var train = Crm_V1_TrainRequest()
            train.algorithm = "decision-tree"
            train.registry.target = "next-category"
            train.registry.horizon = .init(seconds: .max, nanos: 0)
            await expectRPCError(.invalidArgument, field: "registry.horizon", "train with an endless horizon") {
                try await daemon.connection.analysis.train(train) { response in
                    for try await _ in response.messages {}
                }
            }

            // Nothing was written, and the daemon still answers.
            let after = try await daemon.stats()
            #expect(after.customers == before.customers)
            #expect(after.orders == before.orders)
            #expect(after.payments == before.payments)
            #expect(after.interactions == before.interactions)
            #expect(try await daemon.getCustomer(customer.name).etag == customer.etag)
        }
    }

    @Test("the earliest and latest valid times are not refused as out of range")
    func boundaries() async throws {
        try await withDaemon(logLevel: "info") { daemon in
            // Valid for the range check; the registry's own plausibility rules (not before 1900,
            // at most a day ahead) then name the field as they always did.
            for time in [
                Google_Protobuf_Timestamp(seconds: -62_135_596_800, nanos: 0),
                Google_Protobuf_Timestamp(seconds: 253_402_300_799, nanos: 999_999_999),
            ] {
                var create = Crm_V1_CreateCustomerRequest()
                create.customer = Fixture.customer("Edge")
                create.customer.customerSince = time
                let error = await expectRPCError(.invalidArgument, field: "customer.customer_since") {
                    try await daemon.customers.createCustomer(create)
                }
                #expect(error?.message.contains("to 9999-12-31") == false, "\(String(describing: error))")
            }
        }
    }
}

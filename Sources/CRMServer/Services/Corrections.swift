import CRMCore
public import CRMProto
import Foundation
public import GRPCCore
public import SwiftProtobuf

/// One field an Update may change (AIP-134): its mask path, whether a request sets it (what an empty mask
/// means), and how the request's value replaces the stored one.
struct MaskedField<Message: Sendable, Value>: Sendable {
    let path: String
    let isSet: @Sendable (Message) -> Bool
    let copy: @Sendable (Value, inout Value) -> Void

    init(
        _ path: String,
        isSet: @escaping @Sendable (Message) -> Bool,
        copy: @escaping @Sendable (Value, inout Value) -> Void
    ) {
        self.path = path
        self.isSet = isSet
        self.copy = copy
    }
}

/// The fields an Update request changes: the mask's paths, each one of `fields`; an empty mask means the
/// fields the request sets.
enum UpdatePaths {
    static func resolve<Message, Value>(
        _ mask: Google_Protobuf_FieldMask,
        of request: Message,
        fields: [MaskedField<Message, Value>]
    ) throws -> [MaskedField<Message, Value>] {
        let allowed = fields.map(\.path).joined(separator: ", ")
        guard !mask.paths.isEmpty else {
            let set = fields.filter { $0.isSet(request) }
            guard !set.isEmpty else {
                throw CRMError.invalid("update_mask", "is empty and the request sets none of: \(allowed)")
            }
            return set
        }
        return try mask.paths.enumerated().map { index, path in
            guard let field = fields.first(where: { $0.path == path }) else {
                throw CRMError.invalid(
                    "update_mask.paths[\(index)]",
                    "\"\(path)\" cannot be updated; expected one of: \(allowed)"
                )
            }
            return field
        }
    }

    /// `stored` with the chosen fields of `incoming`.
    static func apply<Message, Value>(
        _ fields: [MaskedField<Message, Value>],
        from incoming: Value,
        to stored: inout Value
    ) {
        for field in fields { field.copy(incoming, &stored) }
    }
}

extension OrderService {
    static var orderFields: [MaskedField<Crm_V1_Order, Order>] {
        [
            .init("status", isSet: { $0.status != .unspecified }, copy: { $1.status = $0.status }),
            .init("line_items", isSet: { !$0.lineItems.isEmpty }, copy: { $1.lineItems = $0.lineItems }),
            .init("order_time", isSet: { $0.hasOrderTime }, copy: { $1.orderTime = $0.orderTime }),
            .init("external_id", isSet: { !$0.externalID.isEmpty }, copy: { $1.externalID = $0.externalID }),
            .init("customer", isSet: { !$0.customer.isEmpty }) { incoming, order in
                order.customerID = incoming.customerID
                order.customerExternalID = ""
            },
            .init("customer_external_id", isSet: { !$0.customerExternalID.isEmpty }) { incoming, order in
                order.customerID = 0
                order.customerExternalID = incoming.customerExternalID
            },
            .init("currency_code", isSet: { !$0.currencyCode.isEmpty }, copy: { $1.currencyCode = $0.currencyCode }),
        ]
    }
    static var paymentFields: [MaskedField<Crm_V1_Payment, Payment>] {
        [
            .init("amount_minor", isSet: { $0.amountMinor != 0 }, copy: { $1.amountMinor = $0.amountMinor }),
            .init("currency_code", isSet: { !$0.currencyCode.isEmpty }, copy: { $1.currencyCode = $0.currencyCode }),
            .init("paid_time", isSet: { $0.hasPaidTime }, copy: { $1.paidTime = $0.paidTime }),
            .init("method", isSet: { !$0.method.isEmpty }, copy: { $1.method = $0.method }),
            .init("external_id", isSet: { !$0.externalID.isEmpty }, copy: { $1.externalID = $0.externalID }),
            .init("order", isSet: { !$0.order.isEmpty }) { incoming, payment in
                payment.orderID = incoming.orderID
                payment.orderExternalID = ""
            },
            .init("order_external_id", isSet: { !$0.orderExternalID.isEmpty }) { incoming, payment in
                payment.orderID = 0
                payment.orderExternalID = incoming.orderExternalID
            },
        ]
    }

    public func updateOrder(request: Crm_V1_UpdateOrderRequest, context: ServerContext) async throws -> Crm_V1_Order {
        guard request.hasOrder else { throw CRMError.invalid("order", "is required") }
        let message = request.order
        let id = try ResourceName.parseID(message.name, collection: "orders", field: "order.name")
        let expected = try RequestChecks.expectedVersion(message.etag, field: "order.etag")
        let fields = try UpdatePaths.resolve(request.updateMask, of: message, fields: Self.orderFields)
        let paths = Set(fields.map(\.path))
        if paths.contains("status") {
            try RequestChecks.known(message.status, field: "order.status")
            if message.status == .unspecified { throw CRMError.invalid("order.status", "is required") }
        }
        if paths.contains("order_time"), !message.hasOrderTime {
            throw CRMError.invalid("order.order_time", "is required")
        }
        let customerID =
            paths.contains("customer")
            ? try ResourceName.parseID(message.customer, collection: "customers", field: "order.customer") : 0
        let incoming = Order(message, customerID: customerID)
        return try await store.updateOrder(id: id, expectedVersion: expected) { order in
            UpdatePaths.apply(fields, from: incoming, to: &order)
            order = try order.validated(field: "order", now: Date())
        }.message
    }

    public func updatePayment(
        request: Crm_V1_UpdatePaymentRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Payment {
        guard request.hasPayment else { throw CRMError.invalid("payment", "is required") }
        let message = request.payment
        let id = try ResourceName.parseID(message.name, collection: "payments", field: "payment.name")
        let expected = try RequestChecks.expectedVersion(message.etag, field: "payment.etag")
        let fields = try UpdatePaths.resolve(request.updateMask, of: message, fields: Self.paymentFields)
        let paths = Set(fields.map(\.path))
        if paths.contains("paid_time"), !message.hasPaidTime {
            throw CRMError.invalid("payment.paid_time", "is required")
        }
        let orderID =
            paths.contains("order")
            ? try ResourceName.parseID(message.order, collection: "orders", field: "payment.order") : 0
        let incoming = Payment(message, orderID: orderID)
        return try await store.updatePayment(id: id, expectedVersion: expected) { payment in
            UpdatePaths.apply(fields, from: incoming, to: &payment)
            payment = try payment.validated(field: "payment", now: Date())
        }.message
    }

    public func deletePayment(
        request: Crm_V1_DeletePaymentRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        let id = try ResourceName.parseID(request.name, collection: "payments", field: "name")
        let expected = try RequestChecks.expectedVersion(request.etag, field: "etag")
        _ = try await store.deletePayment(id: id, expectedVersion: expected)
        return Google_Protobuf_Empty()
    }
}

extension InteractionService {
    static var interactionFields: [MaskedField<Crm_V1_Interaction, Interaction>] {
        [
            .init("kind", isSet: { $0.kind != .unspecified }, copy: { $1.kind = $0.kind }),
            .init("direction", isSet: { $0.direction != .unspecified }, copy: { $1.direction = $0.direction }),
            .init("occur_time", isSet: { $0.hasOccurTime }, copy: { $1.occurTime = $0.occurTime }),
            .init("subject", isSet: { !$0.subject.isEmpty }, copy: { $1.subject = $0.subject }),
            .init("body", isSet: { !$0.body.isEmpty }, copy: { $1.body = $0.body }),
            .init("outcome", isSet: { !$0.outcome.isEmpty }, copy: { $1.outcome = $0.outcome }),
            .init("topic", isSet: { !$0.topic.isEmpty }, copy: { $1.topic = $0.topic }),
            .init("duration_seconds", isSet: { $0.durationSeconds != 0 }) { $1.durationSeconds = $0.durationSeconds },
            .init("external_id", isSet: { !$0.externalID.isEmpty }, copy: { $1.externalID = $0.externalID }),
            .init("customer", isSet: { !$0.customer.isEmpty }) { incoming, interaction in
                interaction.customerID = incoming.customerID
                interaction.customerExternalID = ""
            },
            .init("customer_external_id", isSet: { !$0.customerExternalID.isEmpty }) { incoming, interaction in
                interaction.customerID = 0
                interaction.customerExternalID = incoming.customerExternalID
            },
        ]
    }

    public func updateInteraction(
        request: Crm_V1_UpdateInteractionRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Interaction {
        guard request.hasInteraction else { throw CRMError.invalid("interaction", "is required") }
        let message = request.interaction
        let id = try ResourceName.parseID(message.name, collection: "interactions", field: "interaction.name")
        let expected = try RequestChecks.expectedVersion(message.etag, field: "interaction.etag")
        let fields = try UpdatePaths.resolve(request.updateMask, of: message, fields: Self.interactionFields)
        let paths = Set(fields.map(\.path))
        try RequestChecks.known(message.kind, field: "interaction.kind")
        try RequestChecks.known(message.direction, field: "interaction.direction")
        if paths.contains("occur_time"), !message.hasOccurTime {
            throw CRMError.invalid("interaction.occur_time", "is required")
        }
        let customerID =
            paths.contains("customer")
            ? try ResourceName.parseID(message.customer, collection: "customers", field: "interaction.customer") : 0
        let incoming = Interaction(message, customerID: customerID)
        return try await store.updateInteraction(id: id, expectedVersion: expected) { interaction in
            UpdatePaths.apply(fields, from: incoming, to: &interaction)
            interaction = try interaction.validated(field: "interaction", now: Date())
        }.message
    }

    public func deleteInteraction(
        request: Crm_V1_DeleteInteractionRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        let id = try ResourceName.parseID(request.name, collection: "interactions", field: "name")
        let expected = try RequestChecks.expectedVersion(request.etag, field: "etag")
        _ = try await store.deleteInteraction(id: id, expectedVersion: expected)
        return Google_Protobuf_Empty()
    }
}

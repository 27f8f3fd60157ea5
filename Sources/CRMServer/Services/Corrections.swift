import CRMCore
public import CRMProto
import Foundation
public import GRPCCore
public import SwiftProtobuf

/// The fields an Update request changes (AIP-134): the mask's paths, each one the resource allows; an
/// empty mask means the allowed fields the request sets.
enum UpdatePaths {
    static func resolve(
        _ mask: Google_Protobuf_FieldMask,
        allowed: [String],
        isSet: (String) -> Bool
    ) throws -> [String] {
        guard !mask.paths.isEmpty else {
            let set = allowed.filter(isSet)
            guard !set.isEmpty else {
                throw CRMError.invalid(
                    "update_mask",
                    "is empty and the request sets none of: \(allowed.joined(separator: ", "))"
                )
            }
            return set
        }
        for (index, path) in mask.paths.enumerated() where !allowed.contains(path) {
            throw CRMError.invalid(
                "update_mask.paths[\(index)]",
                "\"\(path)\" cannot be updated; expected one of: \(allowed.joined(separator: ", "))"
            )
        }
        return mask.paths
    }
}

extension OrderService {
    static var orderPaths: [String] {
        ["status", "line_items", "order_time", "external_id", "customer", "customer_external_id", "currency_code"]
    }
    static var paymentPaths: [String] {
        ["amount_minor", "currency_code", "paid_time", "method", "external_id", "order", "order_external_id"]
    }

    public func updateOrder(request: Crm_V1_UpdateOrderRequest, context: ServerContext) async throws -> Crm_V1_Order {
        guard request.hasOrder else { throw CRMError.invalid("order", "is required") }
        let message = request.order
        let id = try ResourceName.parseID(message.name, collection: "orders", field: "order.name")
        let expected = try RequestChecks.expectedVersion(message.etag, field: "order.etag")
        let paths = try UpdatePaths.resolve(request.updateMask, allowed: Self.orderPaths) { path in
            switch path {
            case "status": message.status != .unspecified
            case "line_items": !message.lineItems.isEmpty
            case "order_time": message.hasOrderTime
            case "external_id": !message.externalID.isEmpty
            case "customer": !message.customer.isEmpty
            case "customer_external_id": !message.customerExternalID.isEmpty
            case "currency_code": !message.currencyCode.isEmpty
            default: false
            }
        }
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
            for path in paths {
                switch path {
                case "status": order.status = incoming.status
                case "line_items": order.lineItems = incoming.lineItems
                case "order_time": order.orderTime = incoming.orderTime
                case "external_id": order.externalID = incoming.externalID
                case "customer":
                    order.customerID = incoming.customerID
                    order.customerExternalID = ""
                case "customer_external_id":
                    order.customerID = 0
                    order.customerExternalID = incoming.customerExternalID
                case "currency_code": order.currencyCode = incoming.currencyCode
                default: break
                }
            }
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
        let paths = try UpdatePaths.resolve(request.updateMask, allowed: Self.paymentPaths) { path in
            switch path {
            case "amount_minor": message.amountMinor != 0
            case "currency_code": !message.currencyCode.isEmpty
            case "paid_time": message.hasPaidTime
            case "method": !message.method.isEmpty
            case "external_id": !message.externalID.isEmpty
            case "order": !message.order.isEmpty
            case "order_external_id": !message.orderExternalID.isEmpty
            default: false
            }
        }
        if paths.contains("paid_time"), !message.hasPaidTime {
            throw CRMError.invalid("payment.paid_time", "is required")
        }
        let orderID =
            paths.contains("order")
            ? try ResourceName.parseID(message.order, collection: "orders", field: "payment.order") : 0
        let incoming = Payment(message, orderID: orderID)
        return try await store.updatePayment(id: id, expectedVersion: expected) { payment in
            for path in paths {
                switch path {
                case "amount_minor": payment.amountMinor = incoming.amountMinor
                case "currency_code": payment.currencyCode = incoming.currencyCode
                case "paid_time": payment.paidTime = incoming.paidTime
                case "method": payment.method = incoming.method
                case "external_id": payment.externalID = incoming.externalID
                case "order":
                    payment.orderID = incoming.orderID
                    payment.orderExternalID = ""
                case "order_external_id":
                    payment.orderID = 0
                    payment.orderExternalID = incoming.orderExternalID
                default: break
                }
            }
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
    static var interactionPaths: [String] {
        [
            "kind", "direction", "occur_time", "subject", "body", "outcome", "topic", "duration_seconds",
            "external_id", "customer", "customer_external_id",
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
        let paths = try UpdatePaths.resolve(request.updateMask, allowed: Self.interactionPaths) { path in
            switch path {
            case "kind": message.kind != .unspecified
            case "direction": message.direction != .unspecified
            case "occur_time": message.hasOccurTime
            case "subject": !message.subject.isEmpty
            case "body": !message.body.isEmpty
            case "outcome": !message.outcome.isEmpty
            case "topic": !message.topic.isEmpty
            case "duration_seconds": message.durationSeconds != 0
            case "external_id": !message.externalID.isEmpty
            case "customer": !message.customer.isEmpty
            case "customer_external_id": !message.customerExternalID.isEmpty
            default: false
            }
        }
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
            for path in paths {
                switch path {
                case "kind": interaction.kind = incoming.kind
                case "direction": interaction.direction = incoming.direction
                case "occur_time": interaction.occurTime = incoming.occurTime
                case "subject": interaction.subject = incoming.subject
                case "body": interaction.body = incoming.body
                case "outcome": interaction.outcome = incoming.outcome
                case "topic": interaction.topic = incoming.topic
                case "duration_seconds": interaction.durationSeconds = incoming.durationSeconds
                case "external_id": interaction.externalID = incoming.externalID
                case "customer":
                    interaction.customerID = incoming.customerID
                    interaction.customerExternalID = ""
                case "customer_external_id":
                    interaction.customerID = 0
                    interaction.customerExternalID = incoming.customerExternalID
                default: break
                }
            }
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

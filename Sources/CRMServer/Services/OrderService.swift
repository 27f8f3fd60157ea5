public import CRMCore
public import CRMProto
import Foundation
public import GRPCCore

/// `crm.v1.OrderService` — orders with line items, and payments — over an ``OrderStore``.
public struct OrderService<Store: OrderStore>: Crm_V1_OrderService.SimpleServiceProtocol {
    let store: Store

    let imports: ImportLimits

    public init(store: Store, imports: ImportLimits = ImportLimits()) {
        self.store = store
        self.imports = imports
    }

    public func createOrder(request: Crm_V1_CreateOrderRequest, context: ServerContext) async throws -> Crm_V1_Order {
        guard request.hasOrder else { throw CRMError.invalid("order", "is required") }
        var message = request.order
        if !message.hasOrderTime { message.orderTime = .init(microsecondDate: Date()) }
        let order = try Self.validated(message, field: "order")
        return try await store.createOrder(order).message
    }

    public func getOrder(request: Crm_V1_GetOrderRequest, context: ServerContext) async throws -> Crm_V1_Order {
        let id = try ResourceName.parseID(request.name, collection: "orders", field: "name")
        return try await store.order(id: id).message
    }

    public func listOrders(
        request: Crm_V1_ListOrdersRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListOrdersResponse {
        let page = try await store.listOrders(
            try ListQuery(request)
        )
        var response = Crm_V1_ListOrdersResponse()
        response.orders = page.items.map(\.message)
        response.nextPageToken = page.nextPageToken
        response.totalSize = page.totalSize
        return response
    }

    public func importOrders(
        request: RPCAsyncSequence<Crm_V1_ImportOrdersRequest, any Error>,
        context: ServerContext
    ) async throws -> Crm_V1_ImportSummary {
        try await StreamingImport.run(
            limits: imports,
            request,
            externalIDField: "order.external_id",
            externalID: \.externalID,
            validate: { try Self.validated($0, field: "order") },
            apply: { rows, options in try await store.importOrders(rows, options: options) }
        )
    }

    public func createPayment(
        request: Crm_V1_CreatePaymentRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Payment {
        guard request.hasPayment else { throw CRMError.invalid("payment", "is required") }
        var message = request.payment
        if !message.hasPaidTime { message.paidTime = .init(microsecondDate: Date()) }
        let payment = try Self.validated(message, field: "payment")
        return try await store.createPayment(payment).message
    }

    public func getPayment(request: Crm_V1_GetPaymentRequest, context: ServerContext) async throws -> Crm_V1_Payment {
        let id = try ResourceName.parseID(request.name, collection: "payments", field: "name")
        return try await store.payment(id: id).message
    }

    public func listPayments(
        request: Crm_V1_ListPaymentsRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListPaymentsResponse {
        let page = try await store.listPayments(
            try ListQuery(request)
        )
        var response = Crm_V1_ListPaymentsResponse()
        response.payments = page.items.map(\.message)
        response.nextPageToken = page.nextPageToken
        response.totalSize = page.totalSize
        return response
    }

    public func importPayments(
        request: RPCAsyncSequence<Crm_V1_ImportPaymentsRequest, any Error>,
        context: ServerContext
    ) async throws -> Crm_V1_ImportSummary {
        try await StreamingImport.run(
            limits: imports,
            request,
            externalIDField: "payment.external_id",
            externalID: \.externalID,
            validate: { try Self.validated($0, field: "payment") },
            apply: { rows, options in try await store.importPayments(rows, options: options) }
        )
    }

    static func validated(_ message: Crm_V1_Order, field: String) throws -> Order {
        try RequestChecks.known(message.status, field: "\(field).status")
        let customerID =
            message.customer.isEmpty
            ? 0 : try ResourceName.parseID(message.customer, collection: "customers", field: "\(field).customer")
        return try Order(message, customerID: customerID).validated(field: field)
    }

    static func validated(_ message: Crm_V1_Payment, field: String) throws -> Payment {
        let orderID =
            message.order.isEmpty
            ? 0 : try ResourceName.parseID(message.order, collection: "orders", field: "\(field).order")
        return try Payment(message, orderID: orderID).validated(field: field)
    }
}

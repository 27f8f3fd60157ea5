import CRMCore
public import CRMProto
import Foundation
public import GRPCCore

/// GetCustomerSummary: one view of a customer, composed from the store's customers, orders, payments,
/// interactions and stored scores.
extension CustomerService {
    /// Entries of the timeline when the request says 0, and at most.
    static var defaultTimelineSize: Int { 20 }
    static var maximumTimelineSize: Int { 200 }
    /// The target whose newest stored score a summary shows.
    static var summaryTarget: String { AnalysisTarget.nextCategory.text }

    public func getCustomerSummary(
        request: Crm_V1_GetCustomerSummaryRequest,
        context: ServerContext
    ) async throws -> Crm_V1_CustomerSummary {
        let id = try ResourceName.parseID(request.name, collection: "customers", field: "name")
        guard (0...Int32(Self.maximumTimelineSize)).contains(request.timelineSize) else {
            throw CRMError.invalid("timeline_size", "must be 0 to \(Self.maximumTimelineSize)")
        }
        let timelineSize = request.timelineSize == 0 ? Self.defaultTimelineSize : Int(request.timelineSize)
        let customer = try await store.customer(id: id)
        let history = try await store.customerHistories(ids: [id]).first
        let orders = history?.orders ?? []
        let interactions = history?.interactions ?? []
        let payments = try await allPayments(of: customer)

        var summary = Crm_V1_CustomerSummary()
        summary.customer = customer.message
        summary.totals = Self.totals(orders: orders, payments: payments)
        let purchases = orders.filter(CustomerHistory.isPurchase)
        summary.orderCount = Int64(purchases.count)
        summary.paymentCount = Int64(payments.count)
        summary.interactionCount = Int64(interactions.count)
        if let last = purchases.map(\.orderTime).max() { summary.lastOrderTime = .init(microsecondDate: last) }
        if let last = interactions.map(\.occurTime).max() { summary.lastContactTime = .init(microsecondDate: last) }

        var timeline: [Crm_V1_TimelineEntry] = []
        timeline += orders.map { order in
            .with {
                $0.time = .init(microsecondDate: order.orderTime)
                $0.order = order.message
            }
        }
        timeline += payments.map { payment in
            .with {
                $0.time = .init(microsecondDate: payment.paidTime)
                $0.payment = payment.message
            }
        }
        timeline += interactions.map { contact in
            .with {
                $0.time = .init(microsecondDate: contact.occurTime)
                $0.interaction = contact.message
            }
        }
        // Newest first.
        timeline.sort { ($0.time.seconds, $0.time.nanos) > ($1.time.seconds, $1.time.nanos) }
        summary.timeline = Array(timeline.prefix(timelineSize))

        if let prediction = try await latestPrediction(customerID: id) {
            summary.latestPrediction = prediction
        }
        return summary
    }

    /// Every payment of `customer`, page by page.
    private func allPayments(of customer: Customer) async throws -> [Payment] {
        var query = ListQuery(pageSize: 1000, filter: "customer = \"\(customer.resourceName)\"")
        var payments: [Payment] = []
        repeat {
            let page = try await store.listPayments(query)
            payments += page.items
            query.pageToken = page.nextPageToken
        } while !query.pageToken.isEmpty
        return payments
    }

    /// Ordered, paid and open per currency, by currency code, over purchases only: the payments of a
    /// cancelled or refunded order were given back, or are to be, and owe nothing.
    static func totals(orders: [Order], payments: [Payment]) -> [Crm_V1_CurrencyTotals] {
        var ordered: [String: Int64] = [:]
        var paid: [String: Int64] = [:]
        var purchases = Set<Int64>()
        for order in orders where CustomerHistory.isPurchase(order) {
            ordered[order.currencyCode, default: 0] += order.totalMinor
            purchases.insert(order.id)
        }
        for payment in payments where purchases.contains(payment.orderID) {
            paid[payment.currencyCode, default: 0] += payment.amountMinor
        }
        return Set(ordered.keys).union(paid.keys).sorted().map { code in
            .with {
                $0.currencyCode = code
                $0.orderedMinor = ordered[code] ?? 0
                $0.paidMinor = paid[code] ?? 0
                $0.openBalanceMinor = $0.orderedMinor - $0.paidMinor
            }
        }
    }

    /// The score of the newest model of ``summaryTarget`` that scored the customer (of the newest 20).
    private func latestPrediction(customerID: Int64) async throws -> Crm_V1_CustomerPrediction? {
        for model in try await store.listModels(target: Self.summaryTarget, before: nil, limit: 20) {
            guard let (score, time) = try await store.score(modelID: model.id, customerID: customerID) else {
                continue
            }
            let classNames = try Crm_V1_Model(model).classNames
            return .with {
                $0.model = model.resourceName
                $0.target = model.target
                $0.scoreTime = .init(microsecondDate: time)
                $0.prediction = Crm_V1_Prediction(score, classNames: classNames)
            }
        }
        return nil
    }

    public func lookupCustomer(
        request: Crm_V1_LookupCustomerRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Customer {
        switch request.key {
        case .externalID(let key):
            guard !key.isEmpty else { throw CRMError.invalid("external_id", "must not be empty") }
            return try await store.customer(externalID: key, showDeleted: request.showDeleted).message
        case .email(let email):
            // The form the store keeps (trimmed, lower-cased), and a malformed address named as such.
            let address = try EmailAddress.normalized(email, field: "email")
            guard !address.isEmpty else { throw CRMError.invalid("email", "must not be empty") }
            return try await store.customer(email: address).message
        case nil:
            throw CRMError.invalid("key", "give external_id or email")
        }
    }
}

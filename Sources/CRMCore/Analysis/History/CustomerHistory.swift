public import Foundation

/// One customer with everything the registry knows they did: the raw material of the needs analysis.
///
/// Feature extraction (``FeatureSchema``) and targets (``AnalysisTarget``) read only this value, so they
/// work the same on histories loaded from any ``RegistryStore`` and on histories built by hand in tests.
public struct CustomerHistory: Sendable, Hashable {
    public var customer: Customer
    /// Every order of the customer, whatever its status, with its line items; sorted by `orderTime`.
    public var orders: [Order]
    /// Every communication record of the customer; sorted by `occurTime`.
    public var interactions: [Interaction]

    /// Makes a history, sorting `orders` and `interactions` by time (ties by id) if they are not already.
    public init(customer: Customer, orders: [Order] = [], interactions: [Interaction] = []) {
        self.customer = customer
        self.orders = orders.sorted { ($0.orderTime, $0.id) < ($1.orderTime, $1.id) }
        self.interactions = interactions.sorted { ($0.occurTime, $0.id) < ($1.occurTime, $1.id) }
    }

    /// Makes a history from orders and interactions already sorted by time (ties by id).
    package init(customer: Customer, sortedOrders: [Order], sortedInteractions: [Interaction]) {
        self.customer = customer
        self.orders = sortedOrders
        self.interactions = sortedInteractions
    }

    /// Whether an order counts as a purchase in the analysis: every status except `cancelled` and
    /// `refunded` (a pending order is an intent to buy; a refunded one was undone).
    public static func isPurchase(_ order: Order) -> Bool {
        order.status != .cancelled && order.status != .refunded
    }

    /// The purchases (see ``isPurchase(_:)``) with `start <= orderTime < end`, oldest first.
    public func purchases(from start: Date = .distantPast, before end: Date) -> [Order] {
        orders.filter { $0.orderTime >= start && $0.orderTime < end && Self.isPurchase($0) }
    }

    /// The interactions with `start <= occurTime < end`, oldest first.
    public func interactions(from start: Date = .distantPast, before end: Date) -> [Interaction] {
        interactions.filter { $0.occurTime >= start && $0.occurTime < end }
    }

    /// When the registry first saw the customer: the earliest of `customerSince`, `createTime`, the
    /// first order and the first interaction (cancelled orders included: the customer was there).
    public var firstSeen: Date {
        var first = customer.createTime
        if let since = customer.customerSince { first = min(first, since) }
        if let order = orders.first { first = min(first, order.orderTime) }
        if let interaction = interactions.first { first = min(first, interaction.occurTime) }
        return first
    }

    /// Whether the customer existed before `cutoff` (``firstSeen`` is earlier); a customer who did not is
    /// left out of training, since their features would describe nobody.
    public func existed(before cutoff: Date) -> Bool {
        firstSeen < cutoff
    }
}

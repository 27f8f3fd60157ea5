import CRMProto
import SwiftProtobuf

/// Generates a realistic, deterministic CRM history: customers in several countries and
/// industries, years of orders, payments and interactions.
///
/// The data has structure an analysis can find, not uniform noise:
/// - what a customer buys depends on its industry (``DemoCatalog/industries``), on its own
///   favourite category, and on what it bought last (``DemoCatalog/transitions``: hardware is
///   followed by support and security, software by training and cloud);
/// - subscriptions (support, seats, backup) are renewed about a year later, announced by a
///   renewal reminder;
/// - categories have seasons (hardware at year end, training in spring and autumn) and trends
///   (cloud and security grow, paper shrinks); prices rise 3 % a year;
/// - most orders are preceded by calls, emails, meetings or visits about the category bought
///   next, including orders after ``DemoConfig/until`` that are not in the data;
/// - about one customer in ten churns in the window: it buys less in its last six months,
///   complains, lets renewals lapse and then stops; others churned before the window, and
///   leads and prospects have contacts but no orders.
///
/// Every draw comes from ``SplitMix64`` streams derived from the seed, one per customer, so the
/// same configuration always gives the same data.
struct DemoGenerator {
    var config: DemoConfig

    /// Days after ``DemoConfig/until`` whose purchases still cast interactions before it.
    static let horizonDays: Int64 = 90
    /// Days simulated before the window for customers who were already customers then.
    static let warmUpDays: Int64 = 365

    init(config: DemoConfig) {
        self.config = config
    }

    /// The fate of a customer over the window.
    enum Fate: Equatable, Sendable {
        case active
        case churnsInWindow
        case churnedBeforeStart
        case lead
        case prospect
    }

    // MARK: Plans, before ids are assigned

    struct PlannedPayment {
        var seconds: Int64
        var amountMinor: Int64
        var method: String
    }

    struct PlannedOrder {
        var customer: Int
        var seconds: Int64
        var sequence: Int
        var items: [Crm_V1_LineItem]
        var status: Crm_V1_OrderStatus
        var payments: [PlannedPayment]
    }

    struct PlannedInteraction {
        var customer: Int
        var seconds: Int64
        var sequence: Int
        var interaction: Crm_V1_Interaction
    }

    struct CustomerPlan {
        var customer: Crm_V1_Customer
        var fate: Fate
        var orders: [PlannedOrder] = []
        var interactions: [PlannedInteraction] = []
    }

    // MARK: Generation

    func generate() -> DemoDataSet {
        var emails = Set<String>()
        var plans: [CustomerPlan] = []
        plans.reserveCapacity(config.customers)
        for index in 0..<config.customers {
            plans.append(plan(customer: index, emails: &emails))
        }

        var data = DemoDataSet()
        data.customers = plans.map(\.customer)

        let orders = plans.flatMap(\.orders).sorted {
            ($0.seconds, $0.customer, $0.sequence) < ($1.seconds, $1.customer, $1.sequence)
        }
        var payments: [(seconds: Int64, order: Int, installment: Int, payment: PlannedPayment)] = []
        for (number, planned) in orders.enumerated() {
            var order = Crm_V1_Order()
            order.externalID = "O" + DemoText.padded(number + 1, width: 7)
            order.customerExternalID = data.customers[planned.customer].externalID
            order.currencyCode = config.currency
            order.status = planned.status
            order.orderTime = Google_Protobuf_Timestamp(seconds: planned.seconds, nanos: 0)
            order.lineItems = planned.items
            data.orders.append(order)
            for (installment, payment) in planned.payments.enumerated() {
                payments.append((payment.seconds, number, installment, payment))
            }
        }
        payments.sort { ($0.seconds, $0.order, $0.installment) < ($1.seconds, $1.order, $1.installment) }
        for (number, entry) in payments.enumerated() {
            var payment = Crm_V1_Payment()
            payment.externalID = "P" + DemoText.padded(number + 1, width: 7)
            payment.orderExternalID = data.orders[entry.order].externalID
            payment.amountMinor = entry.payment.amountMinor
            payment.currencyCode = config.currency
            payment.paidTime = Google_Protobuf_Timestamp(seconds: entry.seconds, nanos: 0)
            payment.method = entry.payment.method
            data.payments.append(payment)
        }

        let interactions = plans.flatMap(\.interactions).sorted {
            ($0.seconds, $0.customer, $0.sequence) < ($1.seconds, $1.customer, $1.sequence)
        }
        for (number, planned) in interactions.enumerated() {
            var interaction = planned.interaction
            interaction.externalID = "I" + DemoText.padded(number + 1, width: 7)
            interaction.customerExternalID = data.customers[planned.customer].externalID
            data.interactions.append(interaction)
        }
        return data
    }

    /// One customer and everything that happens with it.
    func plan(customer index: Int, emails: inout Set<String>) -> CustomerPlan {
        var simulation = CustomerSimulation(config: config, index: index)
        return simulation.run(emails: &emails)
    }

    /// The minor units of one unit of `product` bought on `day`, in the configured currency:
    /// the list price, raised each year, converted and rounded to whole units above 100.
    func unitPriceMinor(_ product: DemoProduct, day: Int64) -> Int64 {
        let yearIndex = Double(CivilDate(daysSinceEpoch: day).year - config.start.year)
        let rate = DemoCatalog.eurRates[config.currency] ?? 1
        let major = product.price * rate * (1 + DemoCatalog.priceIncreasePerYear * max(0, yearIndex))
        var scale: Double = 1
        for _ in 0..<Currency.minorUnitDigits(config.currency) { scale *= 10 }
        if major >= 100 {
            return Int64(major.rounded()) * Int64(scale)
        }
        return max(1, Int64((major * scale).rounded()))
    }
}

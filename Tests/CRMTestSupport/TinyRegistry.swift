public import CRMCore
public import Foundation

/// A tiny registry with dates counted in days from a fixed origin, so that every expected value below can
/// be worked out by hand. The cut-off is day 400; the horizon 90 days (days 400 ..< 490).
///
/// - Ada (1, EUR): customer since day 0, `industry=retail`, `employees=12`, tag `vip`.
///   Orders: day 20 books 2×10.00 + music 1×5.00 (25.00); day 300 books 1×30.00; day 350 music 1×15.00 +
///   books 1×5.00 (20.00); day 380 garden 1×100.00 *cancelled*.
///   Interactions: day 200 call won/pricing; day 320 email -/pricing; day 390 meeting lost/delivery.
/// - Bo (2, JPY, no minor unit): imported on day 500, no `customer_since`, `industry=finance`.
///   Orders: day 250 garden 1×4000; day 395 garden 2×1000 + books 1×1000 (3000).
///   Interactions: day 100 visit won.
/// - Cy (3): customer since day 450, one order on day 460: not a customer yet at the cut-off.
public enum TinyRegistry {
    public static let origin = Date(timeIntervalSince1970: 1_700_000_000)
    public static let cutoff = day(400)
    public static let horizon: TimeInterval = 90 * 86_400

    public static func day(_ number: Double) -> Date {
        origin.addingTimeInterval(number * 86_400)
    }

    public static func line(_ category: String, _ quantity: Int64, _ unitPriceMinor: Int64) -> LineItem {
        LineItem(productName: category, category: category, quantity: quantity, unitPriceMinor: unitPriceMinor)
    }

    public static func order(
        _ id: Int64,
        _ customer: Int64,
        day number: Double,
        _ currency: String,
        _ lines: [LineItem],
        status: OrderStatus = .completed
    ) -> Order {
        Order(
            id: id,
            customerID: customer,
            status: status,
            currencyCode: currency,
            lineItems: lines,
            orderTime: day(number)
        )
    }

    public static func contact(
        _ id: Int64,
        _ customer: Int64,
        day number: Double,
        _ kind: InteractionKind,
        outcome: String = "",
        topic: String = ""
    ) -> Interaction {
        Interaction(id: id, customerID: customer, kind: kind, occurTime: day(number), outcome: outcome, topic: topic)
    }

    /// Everything before the cut-off.
    public static var past: [CustomerHistory] {
        [
            CustomerHistory(
                customer: Customer(
                    id: 1,
                    displayName: "Ada",
                    tags: ["vip"],
                    attributes: ["industry": "retail", "employees": "12"],
                    customerSince: day(0),
                    createTime: day(0)
                ),
                orders: [
                    order(1, 1, day: 20, "EUR", [line("books", 2, 1000), line("music", 1, 500)]),
                    order(2, 1, day: 300, "EUR", [line("books", 1, 3000)]),
                    order(3, 1, day: 350, "EUR", [line("music", 1, 1500), line("books", 1, 500)]),
                    order(4, 1, day: 380, "EUR", [line("garden", 1, 10000)], status: .cancelled),
                ],
                interactions: [
                    contact(1, 1, day: 200, .call, outcome: "won", topic: "pricing"),
                    contact(2, 1, day: 320, .email, topic: "pricing"),
                    contact(3, 1, day: 390, .meeting, outcome: "lost", topic: "delivery"),
                ]
            ),
            CustomerHistory(
                customer: Customer(id: 2, displayName: "Bo", attributes: ["industry": "finance"], createTime: day(500)),
                orders: [
                    order(5, 2, day: 250, "JPY", [line("garden", 1, 4000)]),
                    order(6, 2, day: 395, "JPY", [line("garden", 2, 1000), line("books", 1, 1000)]),
                ],
                interactions: [contact(4, 2, day: 100, .visit, outcome: "won")]
            ),
            CustomerHistory(
                customer: Customer(id: 3, displayName: "Cy", customerSince: day(450), createTime: day(450))
            ),
        ]
    }

    /// ``past`` plus what happened from the cut-off on.
    ///
    /// Ada: day 400 (exactly the cut-off) books 1×1.00; day 420 books 1×10.00 + music 1×20.00; day 600
    /// toys *cancelled*; a call on day 400 about `returns`, outcome `escalated`. Bo: day 495 toys (after the
    /// horizon). Cy: day 460 books.
    public static var withFuture: [CustomerHistory] {
        var histories = past
        histories[0].orders += [
            order(10, 1, day: 400, "EUR", [line("books", 1, 100)]),
            order(11, 1, day: 420, "EUR", [line("books", 1, 1000), line("music", 1, 2000)]),
            order(12, 1, day: 600, "EUR", [line("toys", 1, 900)], status: .cancelled),
        ]
        histories[0].interactions += [contact(10, 1, day: 400, .call, outcome: "escalated", topic: "returns")]
        histories[1].orders += [order(13, 2, day: 495, "JPY", [line("toys", 5, 100)])]
        histories[2].orders += [order(14, 3, day: 460, "EUR", [line("books", 1, 100)])]
        return histories
    }
}

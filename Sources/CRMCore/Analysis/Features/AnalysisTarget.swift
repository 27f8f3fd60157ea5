public import Foundation

/// What the needs analysis predicts about a customer: the label of a training row.
///
/// Written as text in requests and saved models: `next-category`, `churn`, `attribute:<key>`,
/// `tag:<name>` (see docs/analysis-features.md).
public enum AnalysisTarget: Sendable, Hashable, Codable {
    /// The category the customer buys most often in the horizon after the cut-off, counting order lines
    /// (ties: the larger spend, then the name); ``noneClass`` when they buy nothing.
    case nextCategory
    /// Whether the customer makes no purchase in the horizon: ``churnedClass`` or ``retainedClass``.
    case churn
    /// The value of a customer attribute; customers without it are left out.
    case attribute(String)
    /// Whether the customer carries a tag: ``yesClass`` or ``noClass``.
    case tag(String)

    /// The `next-category` class of a customer who buys nothing in the horizon.
    public static let noneClass = "none"
    public static let churnedClass = "churned"
    public static let retainedClass = "retained"
    public static let yesClass = "yes"
    public static let noClass = "no"

    /// Reads a target from its text form.
    ///
    /// - Parameters:
    ///   - text: `next-category`, `churn`, `attribute:<key>` (an attribute key) or `tag:<name>` (a tag,
    ///     matched in lower case).
    /// - Throws: ``CRMError`` (`invalidArgument`) naming the field `target` when the text is none of these.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed {
        case "next-category": self = .nextCategory
        case "churn": self = .churn
        case _ where trimmed.hasPrefix("attribute:"):
            self = .attribute(try AttributeKey.normalized(String(trimmed.dropFirst(10)), field: "target"))
        case _ where trimmed.hasPrefix("tag:"):
            self = .tag(try Tag.normalized(String(trimmed.dropFirst(4)), field: "target"))
        default:
            throw CRMError.invalid(
                "target",
                "must be next-category, churn, attribute:<key> or tag:<name> (got \"\(trimmed.prefix(80))\")"
            )
        }
    }

    /// The text form, which ``init(parsing:)`` reads back.
    public var text: String {
        switch self {
        case .nextCategory: "next-category"
        case .churn: "churn"
        case .attribute(let key): "attribute:\(key)"
        case .tag(let name): "tag:\(name)"
        }
    }

    /// The attribute keys the features must not contain, lest they give the answer away.
    public var excludedAttributes: Set<String> {
        if case .attribute(let key) = self { [key] } else { [] }
    }

    /// The label of one customer for training.
    ///
    /// - Parameters:
    ///   - history: the customer.
    ///   - cutoff: features describe the time before it; the label, for purchase targets, the horizon after it.
    ///   - horizon: the length of the labelled period, `cutoff ..< cutoff + horizon`.
    /// - Returns: the class, or nil when the row is left out: the customer did not exist before the cut-off
    ///   (see ``CustomerHistory/existed(before:)``), or the attribute is not set. Attributes and tags are
    ///   read as they are now, since the registry keeps no history of them.
    public func label(for history: CustomerHistory, cutoff: Date, horizon: TimeInterval) -> String? {
        guard history.existed(before: cutoff) else { return nil }
        switch self {
        case .nextCategory:
            return Self.mostBought(history.purchases(from: cutoff, before: cutoff.addingTimeInterval(horizon)))
        case .churn:
            let bought = !history.purchases(from: cutoff, before: cutoff.addingTimeInterval(horizon)).isEmpty
            return bought ? Self.retainedClass : Self.churnedClass
        case .attribute(let key):
            guard let value = history.customer.attributes[key], !value.isEmpty else { return nil }
            return value
        case .tag(let name):
            return history.customer.tags.contains(name) ? Self.yesClass : Self.noClass
        }
    }

    /// The category with the most order lines in `orders`; ties go to the larger spend (in major units),
    /// then to the name that sorts first. ``noneClass`` when there is no line.
    static func mostBought(_ orders: [Order]) -> String {
        var lines: [String: (count: Int, spend: Double)] = [:]
        for order in orders {
            for line in order.lineItems {
                let spend = Order.majorUnits(line.totalMinor, currencyCode: order.currencyCode)
                lines[line.category, default: (0, 0)].count += 1
                lines[line.category, default: (0, 0)].spend += spend
            }
        }
        let best = lines.min { a, b in
            if a.value.count != b.value.count { return a.value.count > b.value.count }
            if a.value.spend != b.value.spend { return a.value.spend > b.value.spend }
            return a.key < b.key
        }
        return best?.key ?? noneClass
    }

    // MARK: Codable, as the text form

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(parsing: container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

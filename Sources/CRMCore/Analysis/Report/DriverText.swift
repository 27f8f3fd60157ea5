import Foundation

/// A feature and a customer's value of it in words, for people who act on a prediction: "no contact for
/// 918 days" rather than `days_since_last_contact = 918`. Covers every column ``FeatureSchema`` makes
/// (docs/analysis-features.md); an unknown name falls back to `name = value`.
public enum DriverText {
    /// - Parameters:
    ///   - feature: the column name.
    ///   - value: the customer's value before standardisation; nil when it was missing.
    public static func describe(feature: String, value: Double?) -> String {
        let days = { (window: Substring) in window == "365" ? "the last year" : "the last \(window) days" }
        if let (prefix, rest) = split(feature, at: ".") {
            switch prefix {
            case "category_share":
                return "\(rest) is \(percent(value)) of all spend"
            case "category_share_365d":
                return "\(rest) is \(percent(value)) of spend in the last year"
            case "last_category":
                return value == 1 ? "last bought \(rest)" : "last purchase was not \(rest)"
            case "interactions":
                return "\(count(value)) \(plural(String(rest), value)) in all"
            case "outcome":
                return "\(count(value)) \(plural("contact", value)) ended \"\(rest)\""
            case "topic_90d":
                return "\(count(value)) \(plural("contact", value)) about \(rest) in the last 90 days"
            case "attr":
                if let (key, expected) = split(rest, at: "=") {
                    return value == 1 ? "\(key) is \(expected)" : "\(key) is not \(expected)"
                }
                return value.map { "\(rest) is \(number($0))" } ?? "\(rest) is not set"
            default:
                break
            }
        }
        switch feature {
        case "recency_days":
            return value.map { "last purchase \(count($0)) days ago" } ?? "never bought"
        case "frequency_all":
            return "bought \(times(value)) in all"
        case "monetary_all":
            return "spent \(money(value)) in all"
        case "average_basket":
            return value.map { "average order \(money($0))" } ?? "no order yet"
        case "purchases_per_year":
            return value.map { "buys \(number($0)) times a year" } ?? "no purchase yet"
        case "mean_gap_days":
            return value.map { "orders every \(count($0)) days on average" } ?? "fewer than two orders"
        case "tenure_days":
            return value.map { "customer for \(count($0)) days" } ?? "customer since unknown"
        case "trend_spend_180d":
            guard let value else { return "spend trend unknown" }
            return
                "spent \(money(abs(value))) \(value < 0 ? "less" : "more") in the last 180 days than in the 180 before"
        case "trend_orders_180d":
            guard let value else { return "order trend unknown" }
            return
                "\(count(abs(value))) \(value < 0 ? "fewer" : "more") \(plural("order", abs(value))) in the last 180 days "
                + "than in the 180 before"
        case "interactions_90d":
            return "\(count(value)) \(plural("contact", value)) in the last 90 days"
        case "interactions_all":
            return "\(count(value)) \(plural("contact", value)) in all"
        case "days_since_last_contact":
            return value.map { "no contact for \(count($0)) days" } ?? "never contacted"
        default:
            break
        }
        if let window = windowed(feature, "frequency_") {
            return "bought \(times(value)) in \(days(window))"
        }
        if let window = windowed(feature, "monetary_") {
            return "spent \(money(value)) in \(days(window))"
        }
        return "\(feature) = \(value.map(number) ?? "missing")"
    }

    private static func split(_ text: some StringProtocol, at separator: Character) -> (Substring, Substring)? {
        guard let index = text.firstIndex(of: separator) else { return nil }
        let head = text[..<index]
        let tail = text[text.index(after: index)...]
        return (Substring(head), Substring(tail))
    }

    /// `365` of `frequency_365d`.
    private static func windowed(_ feature: String, _ prefix: String) -> Substring? {
        guard feature.hasPrefix(prefix), feature.hasSuffix("d") else { return nil }
        let window = feature.dropFirst(prefix.count).dropLast()
        return !window.isEmpty && window.allSatisfy(\.isNumber) ? window : nil
    }

    private static func count(_ value: Double?) -> String { String(Int((value ?? 0).rounded())) }

    private static func times(_ value: Double?) -> String {
        let n = Int((value ?? 0).rounded())
        return n == 1 ? "once" : "\(n) times"
    }

    private static func plural(_ noun: String, _ value: Double?) -> String {
        Int((value ?? 0).rounded()) == 1 ? noun : noun + "s"
    }

    private static func percent(_ value: Double?) -> String { "\(Int(((value ?? 0) * 100).rounded())) %" }

    private static func money(_ value: Double?) -> String {
        (value ?? 0).formatted(
            .number.precision(.fractionLength(2)).grouping(.automatic).locale(.init(identifier: "en_US"))
        )
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15
            ? String(Int(value)) : value.formatted(.number.precision(.fractionLength(0...2)))
    }
}

import Foundation

/// How the report writes numbers, dates and durations: the same in every rendering and independent of
/// the machine's locale and time zone.
enum ReportFormat {
    /// A dash, for values that are not finite numbers.
    static let missing = "–"

    /// `0.8734` → `87.3%`.
    static func percent(_ fraction: Double, digits: Int = 1) -> String {
        guard fraction.isFinite else { return missing }
        return fixed(fraction * 100, digits: digits) + "%"
    }

    /// `value` with exactly `digits` decimals, e.g. `0.712`; never `-0.0`.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return missing }
        let text = String(format: "%.\(max(0, digits))f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// A raw feature value: whole numbers without decimals, others with up to three.
    static func value(_ value: Double) -> String {
        guard value.isFinite else { return missing }
        if value == value.rounded(), abs(value) < 1e15 {
            return fixed(value, digits: 0)
        }
        return trimmed(fixed(value, digits: 3))
    }

    /// A coordinate or length in SVG: at most two decimals, no trailing zeros.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return trimmed(fixed(value, digits: 2))
    }

    /// `1234567` → `1,234,567`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// ISO 8601 in UTC, to the second: `2026-11-25T11:36:31Z`.
    static func date(_ date: Date) -> String {
        // The style's time zone is GMT unless told otherwise.
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// `7776000` → `90 days`; `5400` → `1.5 hours`.
    static func duration(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite else { return missing }
        let day = 86_400.0
        if seconds >= day, seconds.truncatingRemainder(dividingBy: day) == 0 {
            let days = Int(seconds / day)
            return days == 1 ? "1 day" : "\(count(days)) days"
        }
        let hours = seconds / 3_600
        return hours == 1 ? "1 hour" : "\(trimmed(fixed(hours, digits: 1))) hours"
    }

    /// `count` followed by the noun, in the singular for one.
    static func counted(_ value: Int, _ singular: String, _ plural: String) -> String {
        "\(count(value)) \(value == 1 ? singular : plural)"
    }

    /// `text` cut to `limit` characters, the last one an ellipsis when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 0 else { return text }
        return text.prefix(limit - 1) + "…"
    }

    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = Substring(text)
        while result.hasSuffix("0") { result = result.dropLast() }
        if result.hasSuffix(".") { result = result.dropLast() }
        return String(result)
    }
}

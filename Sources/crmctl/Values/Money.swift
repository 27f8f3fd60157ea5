/// ISO 4217 currency codes and the number of digits of their minor unit.
enum Currency {
    /// Currencies whose minor unit does not have two digits; every other code has two.
    static let minorUnitDigitsExceptions: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
        "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]

    /// Digits after the decimal point in amounts of `code`: 0 for JPY, 3 for KWD, 2 for EUR.
    static func minorUnitDigits(_ code: String) -> Int {
        minorUnitDigitsExceptions[code.uppercased()] ?? 2
    }

    /// The code in upper case, checked to be three ASCII letters.
    static func normalizedCode(_ text: String) throws(ValueError) -> String {
        let code = text.trimmingSpaces.uppercased()
        guard code.utf8.count == 3, code.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
            throw ValueError("not an ISO 4217 currency code: \(text.quotedForError)")
        }
        return code
    }
}

/// Converts between amounts written in major units (`12.50` euros) and the integer minor units
/// the API stores (`1250` cents), using the currency's exponent.
enum Money {
    /// Reads `12.50`, `12.5`, `12` or `-3.10` as minor units.
    /// - Parameters:
    ///   - text: the amount in major units; a `.` separates the fraction.
    ///   - exponent: digits of the minor unit (``Currency/minorUnitDigits(_:)``).
    static func minorUnits(fromMajor text: String, exponent: Int) throws(ValueError) -> Int64 {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw ValueError("empty amount") }
        var bytes = Substring(trimmed).utf8[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : Substring("").utf8[...]
        let isDigit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
        guard !(whole.isEmpty && fraction.isEmpty), whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit),
            !(parts.count > 1 && fraction.isEmpty && whole.isEmpty)
        else {
            if trimmed.contains(",") {
                throw ValueError(
                    "not an amount: \(trimmed.quotedForError) (use a point for decimals, no thousands separators)"
                )
            }
            throw ValueError("not an amount: \(trimmed.quotedForError)")
        }
        let significant = fraction.reversed().drop(while: { $0 == UInt8(ascii: "0") }).count
        guard significant <= exponent else {
            throw ValueError(
                exponent == 0
                    ? "amount \(trimmed.quotedForError) has decimals but the currency has no minor unit"
                    : "amount \(trimmed.quotedForError) has more than \(exponent) decimals"
            )
        }
        let overflow = ValueError("amount out of range: \(trimmed.quotedForError)")
        var value: Int64 = 0
        for digit in whole {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(Int64(digit - 0x30))
            guard !o1, !o2 else { throw overflow }
            value = next
        }
        let fractionDigits = Array(fraction.prefix(exponent))
        for position in 0..<exponent {
            let digit = position < fractionDigits.count ? Int64(fractionDigits[position] - 0x30) : 0
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw overflow }
            value = next
        }
        return negative ? -value : value
    }

    /// Writes minor units in major units with exactly `exponent` decimals: `1250` → `12.50`.
    static func majorText(fromMinor minor: Int64, exponent: Int) -> String {
        let negative = minor < 0
        let magnitude = minor.magnitude
        guard exponent > 0 else { return (negative ? "-" : "") + String(magnitude) }
        var scale: UInt64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let whole = magnitude / scale
        var fraction = String(magnitude % scale)
        fraction = String(repeating: "0", count: exponent - fraction.count) + fraction
        return (negative ? "-" : "") + "\(whole).\(fraction)"
    }

    /// The amount with its currency, for tables: `12.50 EUR`.
    static func display(minor: Int64, currency: String) -> String {
        majorText(fromMinor: minor, exponent: Currency.minorUnitDigits(currency)) + " " + currency
    }
}

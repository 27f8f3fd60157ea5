import Foundation

extension Order {
    /// The order total in major units of its currency (`1999` minor units of `EUR` → `19.99`).
    ///
    /// The analysis converts no currencies: amounts in different currencies are added as they are, which
    /// is right for the usual one-currency registry and says so in docs/analysis-features.md otherwise.
    public var totalMajorUnits: Double {
        Self.majorUnits(totalMinor, currencyCode: currencyCode)
    }

    /// `minor` in major units of `currencyCode`, by the currency's minor-unit digits (2 when the code is
    /// unknown, as for most currencies).
    public static func majorUnits(_ minor: Int64, currencyCode: String) -> Double {
        let digits = CurrencyCode.minorUnitDigits(currencyCode) ?? 2
        var divisor = 1.0
        for _ in 0..<digits { divisor *= 10 }
        return Double(minor) / divisor
    }
}

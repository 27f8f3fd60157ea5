import CRMCore
import Testing

@Suite("CurrencyCode")
struct CurrencyCodeTests {
    @Test(
        "knows the minor-unit exponent of active currencies",
        arguments: [
            ("EUR", 2), ("USD", 2), ("GBP", 2), ("CHF", 2), ("JPY", 0), ("KRW", 0), ("CLP", 0), ("ISK", 0),
            ("VND", 0), ("XOF", 0), ("XAF", 0), ("BHD", 3), ("KWD", 3), ("JOD", 3), ("TND", 3), ("IQD", 3),
            ("OMR", 3), ("LYD", 3), ("CLF", 4), ("UYW", 4), ("HUF", 2), ("SLE", 2), ("ZWG", 2), ("VES", 2),
        ]
    )
    func exponent(code: String, digits: Int) {
        #expect(CurrencyCode.minorUnitDigits(code) == digits)
    }

    @Test(
        "has no exponent for unknown, withdrawn or unit-less codes",
        arguments: ["ABC", "DEM", "HRK", "XAU", "XTS", "XXX", "eur", ""]
    )
    func noExponent(code: String) {
        #expect(CurrencyCode.minorUnitDigits(code) == nil)
    }

    @Test("upper-cases known codes", arguments: [("eur", "EUR"), (" usd ", "USD"), ("Jpy", "JPY")])
    func valid(raw: String, expected: String) throws {
        #expect(try CurrencyCode.normalized(raw, field: "order.currency_code") == expected)
    }

    @Test(
        "rejects missing and unknown codes",
        arguments: [
            ("", "is required"),
            ("  ", "is required"),
            ("EURO", "must be a three-letter ISO 4217 currency code"),
            ("€", "must be a three-letter ISO 4217 currency code"),
            ("ABC", "is not an active ISO 4217 currency code (got \"ABC\")"),
            ("hrk", "is not an active ISO 4217 currency code (got \"HRK\")"),
        ]
    )
    func invalid(raw: String, reason: String) throws {
        let error = #expect(throws: CRMError.self) { try CurrencyCode.normalized(raw, field: "order.currency_code") }
        #expect(error?.violations.first?.field == "order.currency_code")
        let description = try #require(error?.violations.first?.description)
        #expect(description.contains(reason), "\(description)")
    }
}

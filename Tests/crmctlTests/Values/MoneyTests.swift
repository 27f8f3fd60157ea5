import Testing

@testable import crmctl

@Suite("Money and Currency")
struct MoneyTests {
    @Test("minor-unit digits per ISO 4217, two for everything else")
    func exponents() {
        #expect(Currency.minorUnitDigits("EUR") == 2)
        #expect(Currency.minorUnitDigits("USD") == 2)
        #expect(Currency.minorUnitDigits("JPY") == 0)
        #expect(Currency.minorUnitDigits("jpy") == 0)
        #expect(Currency.minorUnitDigits("KRW") == 0)
        #expect(Currency.minorUnitDigits("XOF") == 0)
        #expect(Currency.minorUnitDigits("KWD") == 3)
        #expect(Currency.minorUnitDigits("TND") == 3)
        #expect(Currency.minorUnitDigits("CLF") == 4)
        #expect(Currency.minorUnitDigits("UYW") == 4)
        #expect(Currency.minorUnitDigits("XYZ") == 2)
    }

    @Test("currency codes are upper-cased and must be three letters")
    func codes() throws {
        #expect(try Currency.normalizedCode(" eur ") == "EUR")
        #expect(throws: ValueError.self) { try Currency.normalizedCode("EURO") }
        #expect(throws: ValueError.self) { try Currency.normalizedCode("E1R") }
        #expect(throws: ValueError.self) { try Currency.normalizedCode("") }
    }

    @Test(
        "major units to minor units",
        arguments: [
            ("12.50", 2, Int64(1250)), ("12.5", 2, 1250), ("12", 2, 1200), ("0.01", 2, 1), (".5", 2, 50),
            ("-3.10", 2, -310), ("12.500", 2, 1250), (" 7.00 ", 2, 700), ("1250", 0, 1250), ("1250.0", 0, 1250),
            ("1.250", 3, 1250), ("1.25", 3, 1250), ("0.001", 3, 1), ("0.0001", 4, 1), ("2", 4, 20000),
            ("92233720368547758.07", 2, Int64.max),
        ]
    )
    func parse(text: String, exponent: Int, expected: Int64) throws {
        #expect(try Money.minorUnits(fromMajor: text, exponent: exponent) == expected)
    }

    @Test(
        "amounts that are not amounts, or too precise for the currency",
        arguments: [
            ("12.505", 2), ("1,50", 2), ("abc", 2), ("", 2), ("1e3", 2), ("12.3.4", 2), ("12.5", 0), ("1.0001", 3),
            (".", 2), ("-", 2), ("92233720368547758.08", 2), ("+5", 2),
        ]
    )
    func rejects(text: String, exponent: Int) {
        #expect(throws: ValueError.self) { try Money.minorUnits(fromMajor: text, exponent: exponent) }
    }

    @Test("the reason says what is wrong")
    func reasons() {
        #expect(throws: ValueError("amount \"12.505\" has more than 2 decimals")) {
            try Money.minorUnits(fromMajor: "12.505", exponent: 2)
        }
        #expect(throws: ValueError("amount \"12.5\" has decimals but the currency has no minor unit")) {
            try Money.minorUnits(fromMajor: "12.5", exponent: 0)
        }
    }

    @Test(
        "minor units to major units with exactly the currency's decimals",
        arguments: [
            (Int64(1250), 2, "12.50"), (5, 2, "0.05"), (-5, 2, "-0.05"), (0, 2, "0.00"), (1250, 0, "1250"),
            (-7, 0, "-7"), (1250, 3, "1.250"), (1, 4, "0.0001"), (Int64.min, 2, "-92233720368547758.08"),
        ]
    )
    func format(minor: Int64, exponent: Int, expected: String) {
        #expect(Money.majorText(fromMinor: minor, exponent: exponent) == expected)
    }

    @Test("formatting then parsing gives the same minor units", arguments: [0, 2, 3, 4])
    func roundTrip(exponent: Int) throws {
        for minor: Int64 in [0, 1, 9, 10, 99, 100, 101, 123_456, -42, 1_000_000_000_000] {
            let text = Money.majorText(fromMinor: minor, exponent: exponent)
            #expect(try Money.minorUnits(fromMajor: text, exponent: exponent) == minor)
        }
    }

    @Test("display shows the amount with its code")
    func display() {
        #expect(Money.display(minor: 1250, currency: "EUR") == "12.50 EUR")
        #expect(Money.display(minor: 1250, currency: "JPY") == "1250 JPY")
    }
}

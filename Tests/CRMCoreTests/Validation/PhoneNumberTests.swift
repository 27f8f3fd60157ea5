import CRMCore
import Testing

@Suite("PhoneNumber")
struct PhoneNumberTests {
    @Test(
        "turns national numbers into E.164 with the country's calling code",
        arguments: [
            // Germany: trunk prefix 0.
            ("030 1234567", "DE", "+49301234567"),
            ("0171/1234567", "DE", "+491711234567"),
            ("(030) 123 45-67", "DE", "+49301234567"),
            // United States and Canada: ten digits, a leading 1 is the calling code.
            ("(415) 555-2671", "US", "+14155552671"),
            ("415.555.2671", "US", "+14155552671"),
            ("1-415-555-2671", "US", "+14155552671"),
            ("613 555 0123", "CA", "+16135550123"),
            // United Kingdom, France, Japan, China: trunk prefix 0.
            ("020 7946 0958", "GB", "+442079460958"),
            ("07700 900123", "GB", "+447700900123"),
            ("01 23 45 67 89", "FR", "+33123456789"),
            ("06.12.34.56.78", "FR", "+33612345678"),
            ("03-1234-5678", "JP", "+81312345678"),
            ("090-1234-5678", "JP", "+819012345678"),
            ("010 1234 5678", "CN", "+861012345678"),
            ("138 0013 8000", "CN", "+8613800138000"),
            // Italy has no trunk prefix: the 0 of a landline stays after +39.
            ("06 1234 5678", "IT", "+390612345678"),
            // Trunk prefixes other than 0.
            ("8 (495) 123-45-67", "RU", "+74951234567"),
            ("06 1 234 5678", "HU", "+3612345678"),
            // The country may come in lower case or padded.
            ("030 1234567", " de ", "+49301234567"),
        ]
    )
    func national(raw: String, country: String, expected: String) throws {
        #expect(try PhoneNumber.normalized(raw, country: country, field: "customer.phone") == expected)
    }

    @Test(
        "keeps international numbers whatever the country",
        arguments: [
            ("+49 30 1234567", "", "+49301234567"),
            ("+49 (0)30 1234567", "DE", "+49301234567"),
            ("0049 30 1234567", "", "+49301234567"),
            ("0049 (0)171 1234567", "", "+491711234567"),
            ("+1 (415) 555-2671", "DE", "+14155552671"),
            ("+44 (0)20 7946 0958", "", "+442079460958"),
            ("+33 1 23 45 67 89", "US", "+33123456789"),
            ("0033 6 12 34 56 78", "FR", "+33612345678"),
            ("+81 3-1234-5678", "", "+81312345678"),
            ("+86 138 0013 8000", "CN", "+8613800138000"),
            ("+383 44 123 456", "", "+38344123456"),
            ("+800 1234 5678", "", "+80012345678"),
        ]
    )
    func international(raw: String, country: String, expected: String) throws {
        #expect(try PhoneNumber.normalized(raw, country: country, field: "customer.phone") == expected)
    }

    @Test(
        "keeps only the digits when the country is unknown",
        arguments: [
            ("12345", "", "12345"),
            ("(555) 1234", "", "5551234"),
            ("030 1234567", "", "0301234567"),
            ("030 1234567", "XX", "0301234567"),
        ]
    )
    func withoutCountry(raw: String, country: String, expected: String) throws {
        #expect(try PhoneNumber.normalized(raw, country: country, field: "customer.phone") == expected)
    }

    @Test("keeps an empty or blank number empty", arguments: ["", "  ", "\t"])
    func empty(raw: String) throws {
        #expect(try PhoneNumber.normalized(raw, country: "DE", field: "customer.phone") == "")
    }

    @Test(
        "rejects bad numbers with a clear reason",
        arguments: [
            ("+999 1234 5678", "", "unknown country calling code +999"),
            ("+0 1234 5678", "", "unknown country calling code +012"),
            ("123", "", "must contain 4 to 15 digits (got 3)"),
            ("1234567890123456", "", "must contain 4 to 15 digits (got 16)"),
            ("+49 123", "", "must have 8 to 15 digits after the + (got 5)"),
            ("+49 1234 5678 9012 3456", "", "must have 8 to 15 digits after the + (got 18)"),
            ("+", "", "must have 8 to 15 digits after the + (got 0)"),
            ("+49 30 1234567 ext. 12", "DE", "must not include an extension"),
            ("030 1234567 x12", "DE", "must not include an extension"),
            ("030 1234567#12", "DE", "must not include an extension"),
            ("(415) 555-2671;ext=5", "US", "must not include an extension"),
            ("1-800-FLOWERS", "US", "may contain only digits, spaces, a leading +, and - . / ( ) (found \"F\")"),
            ("030\u{0}1234567", "DE", "(found U+0000)"),
            ("+49 30 12+34567", "", "may contain + only at the start"),
            ("++49 30 1234567", "", "may contain + only at the start"),
            ("555-2671", "US", "must have 10 digits, or 11 starting with 1, for a number in US (got 7)"),
            ("2-415-555-2671", "US", "must have 10 digits, or 11 starting with 1, for a number in US (got 11)"),
            ("(015) 555-2671", "US", "area codes never start with 0 or 1"),
            ("01234", "DE", "is too short for a number in DE"),
        ]
    )
    func invalid(raw: String, country: String, reason: String) throws {
        let error = #expect(throws: CRMError.self) {
            try PhoneNumber.normalized(raw, country: country, field: "customers[2].phone")
        }
        #expect(error?.violations.count == 1)
        #expect(error?.violations.first?.field == "customers[2].phone")
        let description = try #require(error?.violations.first?.description)
        #expect(description.contains(reason), "\(description)")
    }

    @Test("knows a calling code for every ISO 3166-1 country")
    func callingCodesCoverEveryCountry() {
        var missing: [String] = []
        for first in UInt8(ascii: "A")...UInt8(ascii: "Z") {
            for second in UInt8(ascii: "A")...UInt8(ascii: "Z") {
                let code = String(decoding: [first, second], as: UTF8.self)
                if CountryCode.isKnown(code) && PhoneNumber.callingCode(forCountry: code) == nil {
                    missing.append(code)
                }
                if !CountryCode.isKnown(code) {
                    #expect(PhoneNumber.callingCode(forCountry: code) == nil, "\(code) is not a country")
                }
            }
        }
        #expect(missing.isEmpty, "no calling code for \(missing)")
    }

    @Test(
        "maps countries to their calling codes",
        arguments: [
            ("DE", "49"), ("US", "1"), ("CA", "1"), ("PR", "1"), ("GB", "44"), ("JE", "44"), ("FR", "33"),
            ("JP", "81"), ("CN", "86"), ("RU", "7"), ("KZ", "7"), ("VA", "39"), ("SH", "290"), ("CW", "599"),
            ("SS", "211"), ("EH", "212"),
        ]
    )
    func callingCode(country: String, code: String) {
        #expect(PhoneNumber.callingCode(forCountry: country) == code)
    }
}

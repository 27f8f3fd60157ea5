import CRMCore
import Testing

@Suite("CountryCode")
struct CountryCodeTests {
    @Test(
        "upper-cases known codes",
        arguments: [("de", "DE"), (" us ", "US"), ("Gb", "GB"), ("AX", "AX"), ("ss", "SS"), ("bq", "BQ"), ("", "")]
    )
    func valid(raw: String, expected: String) throws {
        #expect(try CountryCode.normalized(raw, field: "customer.address.country") == expected)
    }

    @Test(
        "rejects what is not a current ISO 3166-1 alpha-2 code",
        arguments: [
            ("DEU", "must be a two-letter ISO 3166-1 country code"),
            ("D", "must be a two-letter ISO 3166-1 country code"),
            ("4X", "must be a two-letter ISO 3166-1 country code"),
            ("XX", "is not a known ISO 3166-1 country code (got \"XX\")"),
            ("uk", "did you mean GB?"),
            ("YU", "is not a known ISO 3166-1 country code"),
            ("AN", "is not a known ISO 3166-1 country code"),
        ]
    )
    func invalid(raw: String, reason: String) throws {
        let error = #expect(throws: CRMError.self) {
            try CountryCode.normalized(raw, field: "customer.address.country")
        }
        #expect(error?.violations.first?.field == "customer.address.country")
        let description = try #require(error?.violations.first?.description)
        #expect(description.contains(reason), "\(description)")
    }

    @Test("knows all 249 assigned codes and nothing else")
    func fullList() {
        var known: [String] = []
        for first in UInt8(ascii: "A")...UInt8(ascii: "Z") {
            for second in UInt8(ascii: "A")...UInt8(ascii: "Z") {
                let code = String(decoding: [first, second], as: UTF8.self)
                if CountryCode.isKnown(code) {
                    known.append(code)
                }
            }
        }
        #expect(known.count == 249)
        #expect(known.contains("DE") && known.contains("ZW") && known.contains("AD"))
        #expect(!CountryCode.isKnown("de"), "isKnown expects upper case")
        #expect(!CountryCode.isKnown("XK"))
    }
}

import CRMCore
import Testing

@Suite("Identifier")
struct IdentifierTests {
    @Test(
        "accepts letters, digits and - _ . : / @ #",
        arguments: [
            ("SAP-000123", "SAP-000123"),
            (" shop:order/2024/17 ", "shop:order/2024/17"),
            ("lead#42@hubspot", "lead#42@hubspot"),
            ("Kunde_Ä.7", "Kunde_Ä.7"),
            ("", ""),
        ]
    )
    func valid(raw: String, expected: String) throws {
        #expect(try Identifier.normalized(raw, field: "customer.external_id", maxLength: 128) == expected)
    }

    @Test(
        "rejects other characters",
        arguments: [
            ("a b", "(found spaces)"), ("a,b", "(found \",\")"), ("x\u{0}", "(found U+0000)"), ("a²", "(found \"²\")"),
        ]
    )
    func invalid(raw: String, reason: String) throws {
        let error = #expect(throws: CRMError.self) {
            try Identifier.normalized(raw, field: "customer.external_id", maxLength: 128)
        }
        #expect(error?.violations.first?.field == "customer.external_id")
        let description = try #require(error?.violations.first?.description)
        #expect(description.hasPrefix("may contain only letters, digits and - _ . : / @ #"), "\(description)")
        #expect(description.contains(reason), "\(description)")
    }

    @Test("enforces the length and, when asked, presence")
    func limits() throws {
        let longest = String(repeating: "7", count: 128)
        #expect(try Identifier.normalized(longest, field: "f", maxLength: 128) == longest)
        let tooLong = #expect(throws: CRMError.self) {
            try Identifier.normalized(longest + "7", field: "f", maxLength: 128)
        }
        #expect(tooLong?.violations.first?.description == "must be at most 128 characters (got 129)")
        let missing = #expect(throws: CRMError.self) {
            try Identifier.normalized(" ", field: "f", maxLength: 128, required: true)
        }
        #expect(missing?.violations.first?.description == "is required")
    }
}

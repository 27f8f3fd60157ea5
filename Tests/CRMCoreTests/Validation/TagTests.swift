import CRMCore
import Testing

@Suite("Tag")
struct TagTests {
    @Test(
        "lower-cases letters, digits and - _ . :",
        arguments: [
            ("VIP", "vip"), (" Region:North ", "region:north"), ("b2b_lead-2024.q1", "b2b_lead-2024.q1"),
            ("Köln", "köln"),
        ]
    )
    func valid(raw: String, expected: String) throws {
        #expect(try Tag.normalized(raw, field: "customer.tags[0]") == expected)
    }

    @Test(
        "rejects empty, long and punctuated tags",
        arguments: [
            ("", "must not be empty"),
            ("   ", "must not be empty"),
            ("two words", "may contain only letters, digits and - _ . : (found spaces)"),
            ("a/b", "(found \"/\")"),
            ("#vip", "(found \"#\")"),
            (String(repeating: "t", count: 65), "must be at most 64 characters (got 65)"),
        ]
    )
    func invalid(raw: String, reason: String) throws {
        let error = #expect(throws: CRMError.self) { try Tag.normalized(raw, field: "customer.tags[3]") }
        #expect(error?.violations.first?.field == "customer.tags[3]")
        let description = try #require(error?.violations.first?.description)
        #expect(description.contains(reason), "\(description)")
    }

    @Test("accepts exactly 64 characters")
    func longest() throws {
        let tag = String(repeating: "t", count: 64)
        #expect(try Tag.normalized(tag, field: "f") == tag)
    }
}

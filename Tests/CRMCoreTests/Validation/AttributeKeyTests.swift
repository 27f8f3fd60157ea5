import CRMCore
import Testing

@Suite("AttributeKey")
struct AttributeKeyTests {
    @Test("keeps valid keys as they are", arguments: ["tier", "LoyaltyTier", "crm.source", "utm_campaign-2", "a"])
    func valid(key: String) throws {
        #expect(try AttributeKey.normalized(key, field: "f") == key)
    }

    @Test(
        "rejects keys that are empty, long, start with no letter or hold other characters",
        arguments: [
            ("", "key must not be empty"),
            ("1st", "key must start with a letter (got \"1\")"),
            ("_tier", "key must start with a letter"),
            ("Ärger", "key must start with a letter"),
            ("bad key", "key may contain only ASCII letters, digits and _ - . (found spaces)"),
            (" tier", "key must start with a letter (got spaces)"),
            ("tier:gold", "(found \":\")"),
            ("grüße", "(found \"ü\")"),
            ("k" + String(repeating: "e", count: 64), "key must be at most 64 characters (got 65)"),
        ]
    )
    func invalid(key: String, reason: String) throws {
        let error = #expect(throws: CRMError.self) {
            try AttributeKey.normalized(key, field: "customer.attributes[\"x\"]")
        }
        #expect(error?.violations.first?.field == "customer.attributes[\"x\"]")
        let description = try #require(error?.violations.first?.description)
        #expect(description.contains(reason), "\(description)")
    }
}

import CRMCore
import Testing

@Suite("EmailAddress")
struct EmailAddressTests {
    @Test(
        "accepts and normalises valid addresses",
        arguments: [
            ("anna@example.com", "anna@example.com"),
            ("  Anna.Schmidt@Example.COM \n", "anna.schmidt@example.com"),
            ("o'brien+crm@mail.example.co.uk", "o'brien+crm@mail.example.co.uk"),
            ("a!#$%&*/=?^_`{|}~-b@example.org", "a!#$%&*/=?^_`{|}~-b@example.org"),
            ("x@sub-domain.example.io", "x@sub-domain.example.io"),
            ("kunde@MÜLLER.de", "kunde@müller.de"),
            ("info@пример.рф", "info@пример.рф"),
            ("user@example.xn--p1ai", "user@example.xn--p1ai"),
            ("1234@123.example.com", "1234@123.example.com"),
        ]
    )
    func valid(raw: String, expected: String) throws {
        #expect(try EmailAddress.normalized(raw, field: "customer.email") == expected)
    }

    @Test("keeps an empty or blank address empty", arguments: ["", "   ", "\n\t"])
    func empty(raw: String) throws {
        #expect(try EmailAddress.normalized(raw, field: "customer.email") == "")
    }

    @Test(
        "rejects invalid addresses with a reason",
        arguments: [
            ("anna.example.com", "must contain an @"),
            ("anna@@example.com", "exactly one @"),
            ("a@b@example.com", "exactly one @"),
            ("@example.com", "must have a name before the @"),
            ("anna@", "must have a domain after the @"),
            (".anna@example.com", "must not start or end with a dot"),
            ("anna.@example.com", "must not start or end with a dot"),
            ("an..na@example.com", "two dots in a row"),
            ("an na@example.com", "must not contain spaces"),
            ("\"anna\"@example.com", "must not contain \"\"\""),
            ("jürgen@example.com", "must not contain \"ü\""),
            ("anna@localhost", "at least one dot"),
            ("anna@example..com", "must not start or end with a dot or contain two dots"),
            ("anna@.example.com", "must not start or end with a dot or contain two dots"),
            ("anna@example.com.", "must not start or end with a dot or contain two dots"),
            ("anna@-example.com", "must not start or end with a hyphen"),
            ("anna@example-.com", "must not start or end with a hyphen"),
            ("anna@exa_mple.com", "must not contain \"_\""),
            ("anna@example.c", "top-level domain must be at least two letters"),
            ("anna@example.c0m", "top-level domain must be at least two letters"),
            ("anna@192.168.0.1", "top-level domain must be at least two letters"),
            ("anna@[192.168.0.1]", "must not contain \"[\""),
        ]
    )
    func invalid(raw: String, reason: String) throws {
        let error = #expect(throws: CRMError.self) { try EmailAddress.normalized(raw, field: "customer.email") }
        #expect(error?.code == .invalidArgument)
        #expect(error?.violations.count == 1)
        #expect(error?.violations.first?.field == "customer.email")
        let description = try #require(error?.violations.first?.description)
        #expect(description.contains(reason), "\(description)")
    }

    @Test("enforces the RFC 5321 lengths")
    func lengths() throws {
        let local64 = String(repeating: "a", count: 64)
        #expect(try EmailAddress.normalized("\(local64)@example.com", field: "e") == "\(local64)@example.com")
        let local65 = String(repeating: "a", count: 65)
        let tooLongLocal = #expect(throws: CRMError.self) {
            try EmailAddress.normalized("\(local65)@example.com", field: "e")
        }
        #expect(tooLongLocal?.violations.first?.description.contains("at most 64 characters (got 65)") == true)

        let label63 = String(repeating: "b", count: 63)
        #expect(try EmailAddress.normalized("a@\(label63).com", field: "e") == "a@\(label63).com")
        let label64 = String(repeating: "b", count: 64)
        let tooLongLabel = #expect(throws: CRMError.self) {
            try EmailAddress.normalized("a@\(label64).com", field: "e")
        }
        #expect(tooLongLabel?.violations.first?.description.contains("at most 63 characters (got 64)") == true)

        // 64 + 1 + (3 × 61 + 2 + 4) = 254 characters, the longest allowed; one more is too long.
        let label61 = String(repeating: "c", count: 61)
        let longest = "\(local64)@\(label61).\(label61).\(label61).com"
        #expect(longest.count == 254)
        #expect(try EmailAddress.normalized(longest, field: "e") == longest)
        let overlong = "\(local64)@\(label61).\(label61).\(label61)c.com"
        let tooLong = #expect(throws: CRMError.self) { try EmailAddress.normalized(overlong, field: "e") }
        #expect(tooLong?.violations.first?.description.contains("at most 254 characters (got 255)") == true)
    }
}

import CRMCore
import Testing

@Suite("TextField")
struct TextFieldTests {
    @Test("trims surrounding whitespace and line breaks")
    func trims() throws {
        #expect(try TextField.normalized("  Anna Schmidt \n", field: "f", maxLength: 200) == "Anna Schmidt")
        #expect(try TextField.normalized("\u{00A0}Café\u{3000}", field: "f", maxLength: 200) == "Café")
    }

    @Test("a blank value is empty unless required")
    func required() throws {
        #expect(try TextField.normalized("   ", field: "f", maxLength: 10) == "")
        let error = #expect(throws: CRMError.self) {
            try TextField.normalized(" \n ", field: "customer.display_name", required: true, maxLength: 200)
        }
        #expect(error?.violations == [.init(field: "customer.display_name", description: "is required")])
    }

    @Test("counts characters as a person sees them")
    func lengthInCharacters() throws {
        let exactly = String(repeating: "é", count: 200)
        #expect(try TextField.normalized(exactly, field: "f", maxLength: 200) == exactly)
        // "e" and a combining acute accent are one character.
        let combining = String(repeating: "e\u{301}", count: 200)
        #expect(try TextField.normalized(combining, field: "f", maxLength: 200).count == 200)
        let family = String(repeating: "👨‍👩‍👧", count: 5)
        #expect(try TextField.normalized(family, field: "f", maxLength: 5) == family)
    }

    @Test("names the limit and the length when too long")
    func tooLong() throws {
        let error = #expect(throws: CRMError.self) {
            try TextField.normalized(String(repeating: "x", count: 250), field: "customer.company", maxLength: 200)
        }
        #expect(
            error?.violations == [
                .init(field: "customer.company", description: "must be at most 200 characters (got 250)")
            ]
        )
    }

    @Test(
        "rejects control characters in single-line text",
        arguments: ["Anna\nSchmidt", "Anna\tSchmidt", "Anna\rSchmidt", "Anna\u{7}", "Anna\u{1B}[31m", "A\u{2028}B"]
    )
    func singleLine(raw: String) throws {
        let error = #expect(throws: CRMError.self) { try TextField.normalized(raw, field: "f", maxLength: 200) }
        let description = try #require(error?.violations.first?.description)
        #expect(description.hasPrefix("must not contain"), "\(description)")
        #expect(description.contains("(found U+"), "\(description)")
    }

    @Test("allows line breaks and tabs in multiline text, but no other control characters")
    func multiline() throws {
        let body = "Hello,\r\n\tthanks for the call.\nBye"
        #expect(try TextField.normalized(body, field: "f", maxLength: 1000, multiline: true) == body)
        let error = #expect(throws: CRMError.self) {
            try TextField.normalized("bell\u{7}", field: "f", maxLength: 1000, multiline: true)
        }
        #expect(error?.violations.first?.description == "must not contain control characters (found U+0007)")
    }

    @Test("rejects NUL always", arguments: [false, true])
    func nul(multiline: Bool) throws {
        let error = #expect(throws: CRMError.self) {
            try TextField.normalized("abc\u{0}def", field: "interaction.body", maxLength: 100, multiline: multiline)
        }
        #expect(
            error?.violations == [.init(field: "interaction.body", description: "must not contain NUL characters")]
        )
    }
}

import Foundation
import GRDB
import Testing

@testable import CRMCore
@testable import CRMStoreSQLite

@Suite("JSONText")
struct JSONTextTests {
    static let awkward = [
        "", "plain", "quote \" and backslash \\", "new\nline\ttab\rreturn", "control \u{01}\u{1F}", "ümlaut ✓ 日本",
        "emoji 👩‍💻 and 𝄞", "slash / and } ] , :",
    ]

    @Test("arrays and objects round-trip, whatever the strings hold")
    func roundTrip() throws {
        #expect(try JSONText.parseArray(JSONText.array(Self.awkward)) == Self.awkward)
        #expect(try JSONText.parseArray(JSONText.array([])) == [])
        let map = Dictionary(
            uniqueKeysWithValues: Self.awkward.enumerated().map { ("k\($0.offset) \($0.element)", $0.element) }
        )
        #expect(try JSONText.parseObject(JSONText.object(map)) == map)
        #expect(try JSONText.parseObject(JSONText.object([:])) == [:])
    }

    @Test("the text is standard JSON: Foundation and SQLite read it the same")
    func interoperates() throws {
        let text = JSONText.array(Self.awkward)
        #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == Self.awkward)
        let map = ["b": "2 \"x\"", "a": "1\n", "c.d": "ü"]
        let object = JSONText.object(map)
        #expect(object == #"{"a":"1\n","b":"2 \"x\"","c.d":"ü"}"#, "keys sorted, compact")
        let queue = try DatabaseQueue()
        let value = try queue.read { db in
            try String.fetchOne(db, sql: "SELECT json_extract(?, '$.\"c.d\"')", arguments: [object])
        }
        #expect(value == "ü")
    }

    @Test("text written by other JSON writers is read too, escapes included")
    func readsStandardEscapes() throws {
        #expect(
            try JSONText.parseArray(#" [ "a\/b" , "\u00e9\ud83d\ude00", "\b\f" ] "#) == ["a/b", "é😀", "\u{08}\u{0C}"]
        )
        #expect(try JSONText.parseObject(#"{"k" : "v"}"#) == ["k": "v"])
    }

    @Test(
        "malformed text is an error, not a guess",
        arguments: ["", "[", "[\"a\"", "[\"a\",]", "{\"a\"}", "[1]", "[\"\\x\"]", "[] x", "[\"\\ud800\"]"]
    )
    func malformed(text: String) {
        #expect(throws: JSONString.Malformed.self) { try JSONText.parseArray(text) }
        #expect(throws: JSONString.Malformed.self) { try JSONText.parseObject(text) }
    }
}

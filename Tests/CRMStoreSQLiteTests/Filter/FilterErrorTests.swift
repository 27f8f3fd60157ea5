import CRMCore
import CRMStoreSQLite
import Testing

/// Every mistake is `invalidArgument` on `filter`, with a message that says where and what was expected.
@Suite("Filter errors")
struct FilterErrorTests {
    /// The description of the single violation `text` causes, or nil when it parses.
    private func violation(_ text: String) -> String? {
        do {
            _ = try Filter.compile(text, columns: PeopleDatabase.columns)
            return nil
        } catch let error as CRMError {
            #expect(error.code == .invalidArgument)
            #expect(error.violations.count == 1)
            #expect(error.violations.first?.field == "filter")
            return error.violations.first?.description
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test(
        "syntax errors name the column and what was expected",
        arguments: [
            ("display_name =", ["expected a value", "column 15", "end of the filter"]),
            ("display_name = \"abc", ["starting at column 16", "not closed"]),
            ("display_name = \"abc\\", ["column 16", "lone"]),
            ("display_name = \"a\\qb\"", ["unknown escape", "\\q", "column 18"]),
            ("(age = 1", ["expected \")\" at column 9", "\"(\" at column 1", "end of the filter"]),
            ("(age = 1 age", ["expected an operator", "\"age\"", "column 13"]),
            ("age = 1)", ["unmatched \")\" at column 8"]),
            ("age = 1 = 2", ["unexpected \"=\" at column 9", "expected AND, OR"]),
            ("()", ["expected a comparison", "found \")\" at column 2"]),
            ("age = 1 AND", ["after the keyword AND at column 9", "end of the filter at column 12"]),
            ("age = 1 OR AND age = 2", ["after the keyword OR at column 9", "keyword AND at column 12"]),
            ("NOT", ["after the keyword NOT at column 1"]),
            ("NOT NOT age = 1", ["after the keyword NOT at column 1", "keyword NOT at column 5"]),
            ("display_name", ["expected an operator", "column 13"]),
            ("display_name ~ x", ["expected an operator", "column 14"]),
            ("display_name ! x", ["\"!\" at column 14", "!="]),
            ("display_name = 'x'", ["\"'\" at column 16", "double quotes"]),
            ("display_name = x, y", ["\",\" at column 17"]),
            ("\"display_name\" = x", ["expected a field name at column 1", "without quotes"]),
            ("age = AND", ["expected a value", "column 7", "keyword AND", "quote"]),
            ("age = (1)", ["expected a value", "column 7", "\"(\""]),
            ("age = 1 and age = 2", ["unknown field \"and\" at column 9", "upper case"]),
            ("age = 1 Or age = 2", ["unknown field \"Or\" at column 9", "upper case"]),
        ] as [(String, [String])]
    )
    func syntax(text: String, fragments: [String]) throws {
        let message = try #require(violation(text), "\(text) should be rejected")
        for fragment in fragments {
            #expect(message.contains(fragment), "\(text): \(message)")
        }
    }

    @Test(
        "semantic errors name the field, the column and what is allowed",
        arguments: [
            ("colour = red", ["unknown field \"colour\" at column 1", "display_name", "attributes.<key>"]),
            ("Display_name = x", ["unknown field \"Display_name\""]),
            ("age = abc", ["age is an integer field", "abc", "column 7"]),
            ("age = 1.5", ["age is an integer field", "1.5", "column 7"]),
            ("age = 99999999999999999999", ["not an integer"]),
            ("age:5", ["\":\" at column 4", "age", "expected =, !=, <, <=, >, >=, :* (is set)"]),
            ("age = 1*", ["trailing *", "column 7"]),
            ("vip = maybe", ["vip is a boolean field", "true or false", "column 7"]),
            ("vip < true", ["\"<\" at column 5", "expected =, !="]),
            ("since > yesterday", ["since is a timestamp", "RFC 3339", "column 9", "yesterday"]),
            ("since > 2025-01-01T10:00:00Z", ["since is a timestamp", "column 9", "must be quoted"]),
            ("since > \"2025-01-01T10:00:00\"", ["since is a timestamp", "column 9"]),
            ("since > 2025-02-29", ["since is a timestamp"]),
            ("since > \"2025-01-01T24:00:00Z\"", ["since is a timestamp"]),
            ("since > \"2025-01-01T10:00:00.1234567Z\"", ["since is a timestamp"]),
            ("since > \"2025-01-01 10:00:00Z\"", ["since is a timestamp"]),
            ("since:2025", ["\":\" at column 6", "since", ":* (is set)"]),
            ("since < null", ["\"<\" at column 7", "null"]),
            ("since = \"null\"", ["since is a timestamp"]),
            ("stage = boss", ["unknown value boss for stage at column 9", "unspecified, lead, prospect, customer"]),
            ("stage > lead", ["\">\" at column 7", "stage", "enumeration", "expected =, !="]),
            ("stage:*", ["\":\" at column 6", "expected =, !="]),
            ("owner = \"people/1\"", ["customers", "\"customers/12\"", "column 9", "\"people/1\""]),
            ("owner = customers/0", ["customers/12", "column 9"]),
            ("owner = customers/x", ["customers/12"]),
            ("owner < customers/1", ["\"<\" at column 7", "expected =, !=, :* (is set)"]),
            ("tags = vip", ["\"=\" at column 6", "tags:<tag>"]),
            ("tags:vi*", ["trailing *", "column 6"]),
            ("attributes = x", ["\"=\" at column 12", "attributes.<key> = value"]),
            ("attributes.bad$key = 1", ["invalid attribute key \"bad$key\" at column 12"]),
            ("attributes. = 1", ["expected an attribute key", "column 12"]),
            ("attributes:\"bad key\"", ["invalid attribute key \"bad key\" at column 12"]),
            ("attributes.grüße = x", ["invalid attribute key \"grüße\" at column 12", "ASCII"]),
            ("display_name:\"Jo*\"", ["substring", "column 13", "display_name = \"Jo*\""]),
            ("display_name < Jo*", ["trailing *", "column 16", "= and !="]),
            ("display_name = \"J*n\"", ["column 16", "before its end", "\\*"]),
            ("attributes.tier:\"g*\"", ["substring"]),
        ] as [(String, [String])]
    )
    func semantics(text: String, fragments: [String]) throws {
        let message = try #require(violation(text), "\(text) should be rejected")
        for fragment in fragments {
            #expect(message.contains(fragment), "\(text): \(message)")
        }
    }

    @Test("limits: length, nesting depth and number of comparisons")
    func limits() throws {
        let long = "display_name = \"" + String(repeating: "x", count: Filter.maximumLength - 16) + "\""
        let tooLong = try #require(violation(long))
        #expect(tooLong.contains("2001 characters"), "\(tooLong)")
        #expect(tooLong.contains("at most 2000"), "\(tooLong)")

        let deep =
            String(repeating: "(", count: Filter.maximumDepth + 1) + "age = 1"
            + String(repeating: ")", count: Filter.maximumDepth + 1)
        let tooDeep = try #require(violation(deep))
        #expect(tooDeep.contains("column 33"), "\(tooDeep)")
        #expect(tooDeep.contains("at most 32"), "\(tooDeep)")

        let many = Array(repeating: "age = 1", count: Filter.maximumComparisons + 1).joined(separator: " ")
        let tooMany = try #require(violation(many))
        #expect(tooMany.contains("at most 100"), "\(tooMany)")
        #expect(tooMany.contains("column \(100 * 8 + 1)"), "\(tooMany)")
    }
}

import CRMCore
import CRMStoreSQLite
import Testing

/// The syntax tree `Filter.parse` builds: precedence, values per kind, escapes.
@Suite("Filter parsing")
struct FilterParseTests {
    private func parse(_ text: String) throws -> FilterExpression? {
        try Filter.parse(text, schema: PeopleDatabase.schema)
    }

    private static func age(_ op: FilterOperator, _ value: Int64) -> FilterExpression {
        .comparison(FilterComparison(field: "age", op: op, value: .integer(value)))
    }

    private static let a = age(.equals, 1)
    private static let b = age(.equals, 2)
    private static let c = age(.equals, 3)

    @Test("blank text is no filter")
    func blank() throws {
        #expect(try parse("") == nil)
        #expect(try parse(" \n\t ") == nil)
    }

    @Test(
        "AIP-160 precedence: OR, then juxtaposition, then AND",
        arguments: [
            ("age = 1 AND age = 2 OR age = 3", FilterExpression.and([a, .or([b, c])])),
            ("age = 1 OR age = 2 AND age = 3", .and([.or([a, b]), c])),
            ("age = 1 age = 2 OR age = 3", .and([a, .or([b, c])])),
            ("age = 1 OR age = 2 age = 3", .and([.or([a, b]), c])),
            ("(age = 1 AND age = 2) OR age = 3", .or([.and([a, b]), c])),
            ("age = 1 age = 2 AND age = 3", .and([a, b, c])),
            ("age = 1 AND age = 2 AND age = 3", .and([a, b, c])),
            ("age = 1 OR age = 2 OR age = 3", .or([a, b, c])),
            ("NOT age = 1 OR age = 2", .or([.not(a), b])),
            ("-age = 1 age = 2", .and([.not(a), b])),
            ("NOT (age = 1 OR age = 2)", .not(.or([a, b]))),
            ("NOT(age = 1)", .not(a)),
            ("((age = 1))", a),
            ("age=1 age=2", .and([a, b])),
        ] as [(String, FilterExpression)]
    )
    func precedence(text: String, expected: FilterExpression) throws {
        #expect(try parse(text) == expected, "\(text)")
    }

    @Test(
        "values are converted to the field's kind",
        arguments: [
            ("age = -5", FilterComparison(field: "age", op: .equals, value: .integer(-5))),
            ("age:*", FilterComparison(field: "age", op: .has, value: .present)),
            ("display_name = Jo*", FilterComparison(field: "display_name", op: .equals, value: .prefix("Jo"))),
            ("display_name = \"Jo\\*\"", FilterComparison(field: "display_name", op: .equals, value: .text("Jo*"))),
            ("display_name:\"*\"", FilterComparison(field: "display_name", op: .has, value: .present)),
            ("display_name = 42", FilterComparison(field: "display_name", op: .equals, value: .text("42"))),
            ("display_name = O'Brien", FilterComparison(field: "display_name", op: .equals, value: .text("O'Brien"))),
            ("vip != false", FilterComparison(field: "vip", op: .notEquals, value: .boolean(false))),
            (
                "since >= 2025-01-01",
                FilterComparison(field: "since", op: .greaterThanOrEquals, value: .timestamp(1_735_689_600_000_000))
            ),
            (
                "since < \"1969-12-31T23:59:59.25Z\"",
                FilterComparison(field: "since", op: .lessThan, value: .timestamp(-750_000))
            ),
            (
                "since = \"2024-02-29T12:30:00+05:30\"",
                FilterComparison(field: "since", op: .equals, value: .timestamp(1_709_190_000_000_000))
            ),
            ("since = null", FilterComparison(field: "since", op: .equals, value: .null)),
            (
                "stage = LEAD",
                FilterComparison(field: "stage", op: .equals, value: .enumeration(label: "lead", value: 1))
            ),
            ("owner = \"customers/12\"", FilterComparison(field: "owner", op: .equals, value: .resource(id: 12))),
            ("tags:vip", FilterComparison(field: "tags", op: .has, value: .text("vip"))),
            ("attributes:tier", FilterComparison(field: "attributes", attributeKey: "tier", op: .has, value: .present)),
            ("attributes:*", FilterComparison(field: "attributes", op: .has, value: .present)),
            (
                "attributes.a.b-c = x",
                FilterComparison(field: "attributes", attributeKey: "a.b-c", op: .equals, value: .text("x"))
            ),
            ("address.city = Berlin", FilterComparison(field: "address.city", op: .equals, value: .text("Berlin"))),
        ] as [(String, FilterComparison)]
    )
    func values(text: String, expected: FilterComparison) throws {
        #expect(try parse(text) == .comparison(expected), "\(text)")
    }

    @Test("string escapes")
    func escapes() throws {
        let parsed = try parse(#"display_name = "say \"hi\" \\ \* \n\t""#)
        #expect(
            parsed
                == .comparison(
                    FilterComparison(field: "display_name", op: .equals, value: .text("say \"hi\" \\ * \n\t"))
                )
        )
    }

    @Test("keywords are case-sensitive: a lower-case 'or' is not a keyword")
    func lowerCaseKeyword() throws {
        // `OR` is a keyword; `or` in value position is just text.
        let parsed = try parse("display_name = or")
        #expect(parsed == .comparison(FilterComparison(field: "display_name", op: .equals, value: .text("or"))))
    }

    @Test("the limits themselves are accepted")
    func limits() throws {
        let nested =
            String(repeating: "(", count: Filter.maximumDepth) + "age = 1"
            + String(repeating: ")", count: Filter.maximumDepth)
        #expect(try parse(nested) == Self.a)

        let many = Array(repeating: "age = 1", count: Filter.maximumComparisons).joined(separator: " OR ")
        #expect(try parse(many) == .or(Array(repeating: Self.a, count: Filter.maximumComparisons)))

        let long = "display_name = \"" + String(repeating: "x", count: Filter.maximumLength - 17) + "\""
        #expect(long.count == Filter.maximumLength)
        #expect(try parse(long) != nil)
    }

    @Test("a hand-built tree compiles, and one that does not fit the schema is rejected")
    func handBuilt() throws {
        let condition = try Filter.compile(.not(.or([Self.a, Self.b])), columns: PeopleDatabase.columns)
        #expect(condition.sql == "NOT ((p.age IS NOT NULL AND p.age = ?) OR (p.age IS NOT NULL AND p.age = ?))")
        #expect(condition.arguments == [1, 2])

        let unknown = FilterExpression.comparison(FilterComparison(field: "nope", op: .equals, value: .integer(1)))
        #expect(throws: CRMError.self) { try Filter.compile(unknown, columns: PeopleDatabase.columns) }
        let mismatched = FilterExpression.comparison(FilterComparison(field: "age", op: .equals, value: .text("x")))
        #expect(throws: CRMError.self) { try Filter.compile(mismatched, columns: PeopleDatabase.columns) }
        let badKey = FilterExpression.comparison(
            FilterComparison(field: "attributes", attributeKey: "x\"]", op: .equals, value: .text("x"))
        )
        #expect(throws: CRMError.self) { try Filter.compile(badKey, columns: PeopleDatabase.columns) }
        let keyOnText = FilterExpression.comparison(
            FilterComparison(field: "display_name", attributeKey: "x", op: .equals, value: .text("x"))
        )
        #expect(throws: CRMError.self) { try Filter.compile(keyOnText, columns: PeopleDatabase.columns) }
    }
}

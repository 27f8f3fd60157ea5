import CRMCore
import CRMStoreSQLite
import GRDB
import Testing

/// Runs compiled filters against a real SQLite table and checks which rows they select.
@Suite("Filter SQL against SQLite")
struct FilterSQLTests {
    let people: PeopleDatabase

    init() throws {
        people = try PeopleDatabase()
    }

    @Test("blank filters select every row and compile to nothing")
    func blank() throws {
        #expect(try Filter.compile("", columns: PeopleDatabase.columns) == nil)
        #expect(try Filter.compile("  \t\n", columns: PeopleDatabase.columns) == nil)
        #expect(try people.ids("") == PeopleDatabase.allIDs)
    }

    @Test(
        "text fields",
        arguments: [
            ("display_name = \"John Smith\"", [1]),
            ("display_name = \"john smith\"", []),  // = is case-sensitive
            ("display_name = John", []),  // = is exact, not a prefix
            ("display_name != \"John Smith\"", [2, 3, 4, 5, 6, 7, 8, 9, 10]),
            ("display_name = \"\"", [10]),
            ("display_name < \"B\"", [4, 5, 10]),  // byte order: digits < upper case < lower case
            ("display_name >= \"a\"", [2, 6, 7]),
            ("display_name > axb", [2]),
            ("display_name <= \"1000 pure\"", [4, 5, 10]),
            ("display_name:JOHN", [1]),  // : is a case-insensitive substring
            ("display_name:smi", [1]),
            ("display_name:\"o\"", [1, 2, 3, 8, 9]),
            ("display_name:*", [1, 2, 3, 4, 5, 6, 7, 8, 9]),  // :* is "is set", i.e. not empty
            ("address.city = Berlin", [1]),
            ("address.city:BERLIN", [1, 2]),
            ("address.city:*", [1, 2, 4, 5, 8]),
            ("address.city = Zürich", [8]),
            ("code = \"A-1\"", [1]),  // the column is an expression: COALESCE(p.code, '')
            ("code = \"\"", [2, 3, 5, 6, 7, 8, 9, 10]),
            ("code:*", [1, 4]),
        ] as [(String, [Int64])]
    )
    func text(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test(
        "a trailing * is a case-sensitive prefix match in which % and _ are literal",
        arguments: [
            ("display_name = \"Jo*\"", [1, 9]),
            ("display_name = Jo*", [1, 9]),
            ("display_name = \"jo*\"", [2]),
            ("display_name = \"Jo\\*\"", [9]),  // an escaped * is literal
            ("display_name = \"100%*\"", [4]),  // not "1000 pure", as LIKE '100%%' would
            ("display_name = \"a_*\"", [6]),  // not "axb", as LIKE 'a_%' would
            ("display_name = \"Zo*\"", [8]),
            ("display_name = \"Zoë*\"", [8]),
            ("display_name = \"O'Brien \\\"Bob\\\"*\"", [3]),
            ("display_name != \"Jo*\"", [2, 3, 4, 5, 6, 7, 8, 10]),
            ("NOT display_name = \"Jo*\"", [2, 3, 4, 5, 6, 7, 8, 10]),
            ("display_name = \"*\"", PeopleDatabase.allIDs),  // every text starts with ""
            ("display_name:\"\\*\"", [9]),  // a literal * as a substring
        ] as [(String, [Int64])]
    )
    func prefix(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test("the upper end of a prefix range is the next code point, wherever it is")
    func prefixRange() throws {
        let cases: [(prefix: String, upper: String?)] = [
            ("ab", "ac"),
            ("a\u{10FFFF}", "b"),  // the last scalar has no successor: bump the one before
            ("\u{D7FF}", "\u{E000}"),  // surrogates are skipped
            ("\u{10FFFF}", nil),  // no upper bound at all
        ]
        for (prefix, upper) in cases {
            let condition = try #require(
                try Filter.compile("display_name = \"\(prefix)*\"", columns: PeopleDatabase.columns)
            )
            if let upper {
                #expect(condition.sql == "(p.display_name >= ? AND p.display_name < ?)")
                #expect(condition.arguments == [prefix, upper])
            } else {
                #expect(condition.sql == "p.display_name >= ?")
                #expect(condition.arguments == [prefix])
            }
        }
        try people.queue.write { db in
            for (id, name) in [(11, "a\u{10FFFF}"), (12, "a\u{10FFFF}\u{10FFFF}z"), (13, "b"), (14, "a\u{FFFF}")] {
                try db.execute(sql: "INSERT INTO people (id, display_name) VALUES (?, ?)", arguments: [id, name])
            }
        }
        #expect(try people.ids("display_name = \"a\u{10FFFF}*\"") == [11, 12])
    }

    @Test(
        "values with quotes, %, _, ' and ;-- are bound arguments and match literally",
        arguments: [
            #"display_name = "O'Brien \"Bob\" 100%_off;--""#,
            #"display_name:"'Brien \"Bob\" 100%_off;--""#,
            #"display_name:";--""#,
            #"display_name:"%_o""#,
        ]
    )
    func injection(filter: String) throws {
        let condition = try #require(try Filter.compile(filter, columns: PeopleDatabase.columns))
        #expect(!condition.sql.contains("Brien"))
        #expect(!condition.sql.contains(";--"))
        #expect(!condition.sql.contains("%"))
        #expect(!condition.sql.contains("\""))
        #expect(try people.ids(condition) == [3])
    }

    @Test("the compiled SQL holds only columns, operators and placeholders")
    func sqlText() throws {
        let condition = try #require(
            try Filter.compile(
                #"display_name = "x'); DROP TABLE people; --" AND age > 3"#,
                columns: PeopleDatabase.columns
            )
        )
        #expect(condition.sql == "(p.display_name = ? AND (p.age IS NOT NULL AND p.age > ?))")
        #expect(condition.arguments == ["x'); DROP TABLE people; --", 3])
        #expect(try people.ids(condition) == [])
        #expect(try people.ids("age > 0") == [1, 2, 4, 6, 7, 8, 9])  // the table is still there
    }

    @Test(
        "integer fields; a NULL fails every operator but !=",
        arguments: [
            ("age = 30", [1]),
            ("age = -5", [5]),
            ("age = \"30\"", [1]),
            ("age != 30", [2, 3, 4, 5, 6, 7, 8, 9, 10]),
            ("age > 20", [1, 2, 4, 8]),
            ("age >= 40", [4, 8]),
            ("age < 0", [5]),
            ("age <= 1", [5, 9, 10]),
            ("NOT age > 20", [3, 5, 6, 7, 9, 10]),
            ("-age > 20", [3, 5, 6, 7, 9, 10]),
            ("age:*", [1, 2, 4, 5, 6, 7, 8, 9, 10]),
            ("-age:*", [3]),
            ("id = 4", [4]),
            ("id > 8", [9, 10]),
        ] as [(String, [Int64])]
    )
    func integer(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test(
        "boolean fields",
        arguments: [
            ("vip = true", [1, 4, 8]),
            ("vip = TRUE", [1, 4, 8]),
            ("vip = false", [2, 3, 5, 6, 7, 9, 10]),
            ("vip != true", [2, 3, 5, 6, 7, 9, 10]),
            ("vip = \"true\"", [1, 4, 8]),
        ] as [(String, [Int64])]
    )
    func boolean(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test(
        "timestamps compare as microseconds; unset is NULL",
        arguments: [
            ("since >= 2025-01-01", [2, 4, 8]),
            ("since < 2024-01-01", [5]),
            ("since = 2024-01-01", [1]),
            ("since = \"2024-01-01T00:00:00Z\"", [1]),
            ("since = \"2024-01-01T01:00:00+01:00\"", [1]),
            ("since = \"2023-12-31T19:00:00-05:00\"", [1]),
            ("since = \"2025-01-01T10:00:00.5Z\"", [2]),
            ("since = \"2025-01-01T10:00:00.500000Z\"", [2]),
            ("since = \"2025-01-01T10:00:00.500000000Z\"", [2]),
            ("since > \"2025-01-01T10:00:00.499999Z\"", [2, 4]),
            ("since > \"2025-01-01T10:00:00.500001Z\"", [4]),
            ("since = \"2023-12-31T23:59:59.999999Z\"", [5]),
            ("since = \"2025-06-01t00:00:00z\"", [4]),
            ("since != 2024-01-01", [2, 3, 4, 5, 6, 7, 8, 9, 10]),
            ("since:*", [1, 2, 4, 5, 8]),
            ("-since:*", [3, 6, 7, 9, 10]),
            ("since = null", [3, 6, 7, 9, 10]),
            ("since != null", [1, 2, 4, 5, 8]),
            ("NOT since < 2025-01-01", [2, 3, 4, 6, 7, 8, 9, 10]),
            ("since >= 2024-01-01 since < 2025-01-01", [1]),
        ] as [(String, [Int64])]
    )
    func timestamp(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test(
        "enumerations compare labels, case-insensitively",
        arguments: [
            ("stage = customer", [2, 4]),
            ("stage = CUSTOMER", [2, 4]),
            ("stage = \"Customer\"", [2, 4]),
            ("stage != customer", [1, 3, 5, 6, 7, 8, 9, 10]),
            ("stage = unspecified", [5, 6, 7, 9, 10]),
            ("stage = lead OR stage = prospect", [1, 3, 8]),
        ] as [(String, [Int64])]
    )
    func enumeration(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test(
        "resource names compare their id",
        arguments: [
            ("owner = \"customers/12\"", [1, 4]),
            ("owner = customers/7", [2, 8]),
            ("owner != customers/12", [2, 3, 5, 6, 7, 8, 9, 10]),
            ("owner:*", [1, 2, 4, 8]),  // NULL and 0 are unset
            ("-owner:*", [3, 5, 6, 7, 9, 10]),
            ("name = people/3", [3]),
            ("name != people/3", [1, 2, 4, 5, 6, 7, 8, 9, 10]),
        ] as [(String, [Int64])]
    )
    func resource(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test(
        "tags: has an element, exactly",
        arguments: [
            ("tags:vip", [1, 4]),
            ("tags:VIP", [5]),
            ("tags:\"vip gold\"", [8]),
            ("tags:gold", [1]),
            ("tags:vi", []),
            ("tags:*", [1, 2, 4, 5, 8]),
            ("-tags:*", [3, 6, 7, 9, 10]),
            ("NOT tags:vip", [2, 3, 5, 6, 7, 8, 9, 10]),
            ("tags:vip tags:gold", [1]),
            ("tags:new OR tags:gold", [1, 2]),
        ] as [(String, [Int64])]
    )
    func tags(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test(
        "attributes: by key, as text; a missing key fails every operator but !=",
        arguments: [
            ("attributes.tier = gold", [1]),
            ("attributes.tier = Gold", [4]),
            ("attributes.tier:GOLD", [1, 4]),
            ("attributes.tier:ilv", [2]),
            ("attributes.tier != gold", [2, 3, 4, 5, 6, 7, 8, 9, 10]),
            ("NOT attributes.tier = gold", [2, 3, 4, 5, 6, 7, 8, 9, 10]),
            ("attributes.tier = \"\"", [8]),
            ("attributes.tier > h", [2]),
            ("attributes.tier = \"G*\"", [4]),
            ("attributes.tier != \"g*\"", [2, 3, 4, 5, 6, 7, 8, 9, 10]),
            ("attributes.shoe-size = 42", [1]),
            ("attributes.a.b = dotted", [1]),
            ("attributes.note = \"100%\"", [5]),
            ("attributes.note:\"%\"", [5]),
            ("attributes:tier", [1, 2, 4, 8]),
            ("attributes:\"a.b\"", [1]),
            ("attributes.tier:*", [1, 2, 4, 8]),
            ("-attributes:tier", [3, 5, 6, 7, 9, 10]),
            ("attributes:*", [1, 2, 4, 5, 8]),
            ("attributes:missing", []),
        ] as [(String, [Int64])]
    )
    func attributes(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test("attribute keys are bound as a quoted JSON path")
    func attributePath() throws {
        let condition = try #require(try Filter.compile("attributes.a.b = dotted", columns: PeopleDatabase.columns))
        #expect(condition.sql == "COALESCE(json_extract(p.attributes, ?) = ?, 0)")
        #expect(condition.arguments == [#"$."a.b""#, "dotted"])
    }

    @Test(
        "AIP-160 precedence: OR binds tighter than AND and juxtaposition",
        arguments: [
            // vip AND (age > 45 OR age < 0); the usual precedence would also select 5.
            ("vip = true AND age > 45 OR age < 0", [8]),
            ("vip = true age > 45 OR age < 0", [8]),
            ("(vip = true AND age > 45) OR age < 0", [5, 8]),
            // (age < 0 OR vip) AND age > 45
            ("age < 0 OR vip = true AND age > 45", [8]),
            ("age < 0 OR vip = true age > 45", [8]),
            // NOT binds to the next comparison only
            ("NOT vip = true OR age > 45", [2, 3, 5, 6, 7, 8, 9, 10]),
            ("NOT (vip = true OR age > 45)", [2, 3, 5, 6, 7, 9, 10]),
            ("-(tags:vip OR tags:new) address.city:*", [5, 8]),
        ] as [(String, [Int64])]
    )
    func precedence(filter: String, expected: [Int64]) throws {
        #expect(try people.ids(filter) == expected, "\(filter)")
    }

    @Test(
        "NOT is the exact complement, NULLs and missing keys included",
        arguments: [
            "age > 20", "age != 30", "since < 2025-01-01", "since != 2024-01-01", "owner = customers/12",
            "owner != customers/12", "attributes.tier = gold", "attributes.tier != gold", "attributes.tier:ol",
            "attributes.tier = \"g*\"", "tags:vip", "display_name = \"Jo*\"", "display_name:o", "vip = true",
            "stage = lead OR age < 20", "code:*", "since:*", "owner:*", "attributes:tier",
        ]
    )
    func complement(filter: String) throws {
        let selected = Set(try people.ids(filter))
        let rejected = Set(try people.ids("NOT (\(filter))"))
        #expect(selected.isDisjoint(with: rejected), "\(filter)")
        #expect(selected.union(rejected) == Set(PeopleDatabase.allIDs), "\(filter)")
    }
}

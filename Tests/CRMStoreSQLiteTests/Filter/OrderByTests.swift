import CRMCore
import CRMStoreSQLite
import Testing

@Suite("order_by")
struct OrderByTests {
    private let schema = PeopleDatabase.schema

    @Test("fields with optional directions, in order")
    func keys() throws {
        let order = try OrderBy.parse("display_name desc, age", schema: schema)
        #expect(
            order.keys == [
                OrderBy.Key(field: "display_name", descending: true),
                OrderBy.Key(field: "age", descending: false),
            ]
        )
        #expect(PeopleDatabase.columns.orderList(order) == "p.display_name DESC, p.age ASC")
    }

    @Test("spaces are insignificant, directions case-insensitive")
    func spacing() throws {
        let order = try OrderBy.parse("  stage   DESC ,since asc,address.city  ", schema: schema)
        #expect(order.keys.map(\.field) == ["stage", "since", "address.city"])
        #expect(order.keys.map(\.descending) == [true, false, false])
    }

    @Test("blank is the default order")
    func blank() throws {
        #expect(try OrderBy.parse("", schema: schema).keys.isEmpty)
        #expect(try OrderBy.parse("  ", schema: schema).keys.isEmpty)
    }

    @Test("the keys sort rows in SQLite")
    func sorting() throws {
        let people = try PeopleDatabase()
        let order = try OrderBy.parse("vip desc, age desc", schema: schema)
        #expect(try people.ids(orderedBy: order) == [8, 4, 1, 2, 6, 7, 9, 10, 5, 3])
    }

    @Test(
        "errors name the column",
        arguments: [
            ("colour", ["unknown field \"colour\" at column 1", "display_name"]),
            ("age, tags", ["\"tags\" at column 6", "cannot be used to sort"]),
            ("owner desc", ["\"owner\" at column 1", "cannot be used to sort"]),
            ("age, display_name, age desc", ["\"age\" at column 20", "already", "column 1"]),
            ("age up", ["expected asc, desc", "column 5", "\"up\""]),
            ("age desc nulls", ["column 10", "\"nulls\""]),
            ("age,,since", ["expected a field name at column 5"]),
            ("age,", ["expected a field name at column 5"]),
            (",age", ["expected a field name at column 1"]),
            ("attributes.tier", ["unknown field \"attributes.tier\""]),
        ] as [(String, [String])]
    )
    func errors(text: String, fragments: [String]) throws {
        do {
            let order = try OrderBy.parse(text, schema: schema)
            Issue.record("\(text) parsed as \(order)")
        } catch let error as CRMError {
            #expect(error.code == .invalidArgument)
            let violation = try #require(error.violations.first)
            #expect(violation.field == "order_by")
            for fragment in fragments {
                #expect(violation.description.contains(fragment), "\(text): \(violation.description)")
            }
        }
    }
}

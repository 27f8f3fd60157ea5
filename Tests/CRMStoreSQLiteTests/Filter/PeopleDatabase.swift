import CRMCore
import CRMStoreSQLite
import GRDB

/// A small in-memory table with one column of every ``FilterField/Kind``, so that tests run the
/// SQL a filter compiles to and check which rows it selects.
struct PeopleDatabase {
    static let schema = FilterSchema([
        FilterField("name", .resource(collection: "people")),
        FilterField("id", .integer),
        FilterField("display_name", .text),
        FilterField("address.city", .text),
        FilterField("code", .text),
        FilterField("age", .integer),
        FilterField("vip", .boolean),
        FilterField("since", .timestamp),
        FilterField("stage", .enumeration(["unspecified": 0, "lead": 1, "prospect": 2, "customer": 3])),
        FilterField("owner", .resource(collection: "customers"), orderable: false),
        FilterField("tags", .tags, orderable: false),
        FilterField("attributes", .attributes, orderable: false),
    ])

    /// Where each field of ``schema`` is kept in the `people` table.
    static let columns = SQLColumns(
        schema,
        [
            "name": "p.id",
            "id": "p.id",
            "display_name": "p.display_name",
            "address.city": "p.city",
            "code": "COALESCE(p.code, '')",
            "age": "p.age",
            "vip": "p.vip",
            "since": "p.since",
            "stage": "p.stage",
            "owner": "p.owner_id",
            "tags": "p.tags",
            "attributes": "p.attributes",
        ]
    )

    /// 2024-01-01T00:00:00Z in microseconds.
    static let jan2024: Int64 = 1_704_067_200_000_000
    /// 2025-01-01T00:00:00Z in microseconds.
    static let jan2025: Int64 = 1_735_689_600_000_000

    static let allIDs: [Int64] = Array(1...10)

    let queue: DatabaseQueue

    init() throws {
        queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE people (
                        id INTEGER PRIMARY KEY,
                        display_name TEXT NOT NULL DEFAULT '',
                        city TEXT NOT NULL DEFAULT '',
                        code TEXT,
                        age INTEGER,
                        vip INTEGER NOT NULL DEFAULT 0,
                        since INTEGER,
                        stage INTEGER NOT NULL DEFAULT 0,
                        owner_id INTEGER,
                        tags TEXT NOT NULL DEFAULT '[]',
                        attributes TEXT NOT NULL DEFAULT '{}'
                    )
                    """
            )
            let hour: Int64 = 3_600_000_000
            let rows: [[(any DatabaseValueConvertible)?]] = [
                // id, display_name, city, code, age, vip, since, stage, owner_id, tags, attributes
                [
                    1, "John Smith", "Berlin", "A-1", 30, 1, Self.jan2024, 1, 12, #"["vip","gold"]"#,
                    #"{"tier":"gold","shoe-size":"42","a.b":"dotted"}"#,
                ],
                [
                    2, "joanna Doe", "berlin", nil, 25, 0, Self.jan2025 + 10 * hour + 500_000, 3, 7, #"["new"]"#,
                    #"{"tier":"silver"}"#,
                ],
                [3, #"O'Brien "Bob" 100%_off;--"#, "", nil, nil, 0, nil, 2, nil, "[]", "{}"],
                [
                    4, "100% pure", "Paris", "B-2", 40, 1, Self.jan2025 + 24 * 151 * hour, 3, 12, #"["vip"]"#,
                    #"{"tier":"Gold"}"#,
                ],
                [5, "1000 pure", "Paris", nil, -5, 0, Self.jan2024 - 1, 0, 0, #"["VIP"]"#, #"{"note":"100%"}"#],
                [6, "a_b", "", nil, 18, 0, nil, 0, nil, "[]", "{}"],
                [7, "axb", "", nil, 18, 0, nil, 0, nil, "[]", "{}"],
                [8, "Zoë", "Zürich", nil, 51, 1, Self.jan2025, 2, 7, #"["vip gold"]"#, #"{"tier":""}"#],
                [9, "Jo*", "", nil, 1, 0, nil, 0, nil, "[]", "{}"],
                [10, "", "", "", 0, 0, nil, 0, nil, "[]", "{}"],
            ]
            for row in rows {
                try db.execute(
                    sql: """
                        INSERT INTO people
                            (id, display_name, city, code, age, vip, since, stage, owner_id, tags, attributes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: StatementArguments(row)
                )
            }
        }
    }

    /// The ids of the rows `filter` selects, in ascending order; every id for a blank filter.
    func ids(_ filter: String) throws -> [Int64] {
        let condition = try Filter.compile(filter, columns: Self.columns)
        return try ids(condition)
    }

    func ids(_ condition: SQLCondition?) throws -> [Int64] {
        try queue.read { db in
            guard let condition else {
                return try Int64.fetchAll(db, sql: "SELECT p.id FROM people p ORDER BY p.id")
            }
            return try Int64.fetchAll(
                db,
                sql: "SELECT p.id FROM people p WHERE \(condition.sql) ORDER BY p.id",
                arguments: condition.arguments
            )
        }
    }

    /// The ids `order` sorts the rows into, with the id as the last tie-breaker.
    func ids(orderedBy order: OrderBy) throws -> [Int64] {
        let keys = order.keys.isEmpty ? "p.id" : Self.columns.orderList(order) + ", p.id"
        return try queue.read { db in
            try Int64.fetchAll(db, sql: "SELECT p.id FROM people p ORDER BY \(keys)")
        }
    }
}

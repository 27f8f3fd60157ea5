import CRMCore
import GRDB

/// Runs one page of a List query with keyset pagination (AIP-158): the page
/// token holds the sort-key values of the last row returned, so a page costs
/// the same wherever it is in the list and rows written meanwhile neither
/// repeat nor vanish.
struct KeysetPage {
    /// `SELECT` column list, decoded by `decode` from index 0.
    var columns: String
    /// `FROM …` clause, joins included.
    var from: String
    /// The id column, the final tie-breaker of every order.
    var idColumn: String
    var schema: SQLColumns
    /// Conditions that always apply (e.g. hide deleted rows).
    var fixedConditions: [String] = []

    func fetch<T>(_ db: Database, _ query: ListQuery, decode: (Row) throws -> T) throws -> Page<T> {
        let filter = try Filter.compile(query.filter, columns: schema)
        let order = try OrderBy.parse(query.orderBy, schema: schema.fields)
        // The listing's own FROM clause is part of the fingerprint: a ListCustomers token is
        // refused by ListOrders instead of being read against another table's keys.
        let fingerprint = PageToken.fingerprint(
            from,
            fixedConditions.joined(separator: " AND "),
            query.filter,
            query.orderBy,
            query.showDeleted ? "deleted" : ""
        )

        var keys = order.keys.map { (column: schema.sortColumn($0.field), descending: $0.descending) }
        keys.append((column: idColumn, descending: false))

        var conditions = fixedConditions
        var arguments = StatementArguments()
        if let filter {
            conditions.append("(\(filter.sql))")
            arguments += filter.arguments
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let total = try Int64.fetchOne(db, sql: "SELECT count(*) \(from) \(whereClause)", arguments: arguments) ?? 0

        var pageConditions = conditions
        var pageArguments = arguments
        if !query.pageToken.isEmpty {
            let token = try PageToken.decode(query.pageToken, query: fingerprint)
            guard token.after.count == keys.count else {
                throw CRMError.invalid("page_token", "is not a token this server issued")
            }
            let (sql, values) = Self.after(keys: keys, values: token.after)
            pageConditions.append(sql)
            pageArguments += StatementArguments(values)
        }
        let pageWhere = pageConditions.isEmpty ? "" : "WHERE " + pageConditions.joined(separator: " AND ")
        let keyColumns = keys.map(\.column).joined(separator: ", ")
        let orderClause = keys.map { $0.column + ($0.descending ? " DESC" : " ASC") }.joined(separator: ", ")
        let sql = "SELECT \(columns), \(keyColumns) \(from) \(pageWhere) ORDER BY \(orderClause) LIMIT ?"
        pageArguments += [query.pageSize + 1]

        let rows = try Row.fetchAll(db, sql: sql, arguments: pageArguments)
        let pageRows = rows.prefix(query.pageSize)
        var next = ""
        if rows.count > query.pageSize, let last = pageRows.last {
            let firstKey = last.count - keys.count
            let after = (0..<keys.count).map { PageToken.Value(last[firstKey + $0] as DatabaseValue) }
            next = PageToken(after: after, query: fingerprint).encoded()
        }
        return Page(items: try pageRows.map(decode), nextPageToken: next, totalSize: total)
    }

    /// `(k1, k2, …) > (v1, v2, …)` with a direction per key, spelled out for SQLite.
    private static func after(
        keys: [(column: String, descending: Bool)],
        values: [PageToken.Value]
    ) -> (String, [DatabaseValue]) {
        var alternatives: [String] = []
        var arguments: [DatabaseValue] = []
        for index in keys.indices {
            var parts: [String] = []
            for earlier in 0..<index {
                parts.append("\(keys[earlier].column) = ?")
                arguments.append(values[earlier].databaseValue)
            }
            parts.append("\(keys[index].column) \(keys[index].descending ? "<" : ">") ?")
            arguments.append(values[index].databaseValue)
            alternatives.append("(" + parts.joined(separator: " AND ") + ")")
        }
        return ("(" + alternatives.joined(separator: " OR ") + ")", arguments)
    }
}

extension PageToken.Value {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .int64(let integer): self = .integer(integer)
        case .string(let text): self = .text(text)
        case .double(let double): self = .integer(Int64(double))
        case .blob, .null: self = .null
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .integer(let integer): integer.databaseValue
        case .text(let text): text.databaseValue
        case .null: .null
        }
    }
}

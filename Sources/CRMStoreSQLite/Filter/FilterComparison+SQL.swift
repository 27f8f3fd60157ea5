import CRMCore
import GRDB

extension FilterComparison {
    /// Every fragment returned here is a single SQL term (parenthesised where needed), so the caller
    /// may put `NOT` in front of it or join it with `AND`/`OR` as is.
    /// - Parameter column: the SQL expression holding `field`.
    func sqlFragment(field: FilterField, column stored: String) throws -> FilterSQLFragment {
        if let attributeKey {
            // Parsed trees are checked already; this guards trees built by hand.
            guard field.kind == .attributes else {
                throw Filter.syntaxError("\(field.name) is \(field.kind.readableDescription) and has no keys")
            }
            try FilterValueReader.checkAttributeKey(attributeKey, field: field, column: 1)
        }
        let column = Self.term(stored)
        switch (field.kind, value) {
        case (.text, .text(let text)):
            return Self.textComparison(FilterSQLFragment(sql: column), op, text)
        case (.text, .prefix(let prefix)) where op == .equals || op == .notEquals:
            return Self.prefixComparison(FilterSQLFragment(sql: column), op, prefix)
        case (.text, .present) where op == .has:
            return FilterSQLFragment(sql: "\(column) <> ''")

        case (.attributes, .present) where op == .has:
            guard let attributeKey else {
                return FilterSQLFragment(sql: "EXISTS (SELECT 1 FROM json_each(\(column)))")
            }
            return FilterSQLFragment(
                sql: "json_type(\(column), ?) IS NOT NULL",
                arguments: [Self.jsonPath(attributeKey)]
            )
        case (.attributes, .text(let text)) where attributeKey != nil:
            return Self.absentAware(Self.textComparison(attributeValue(column), op, text), op)
        case (.attributes, .prefix(let prefix)) where attributeKey != nil && (op == .equals || op == .notEquals):
            return Self.absentAware(Self.prefixComparison(attributeValue(column), op, prefix), op)

        case (.tags, .text(let tag)) where op == .has:
            return FilterSQLFragment(
                sql: "EXISTS (SELECT 1 FROM json_each(\(column)) WHERE value = ?)",
                arguments: [tag.databaseValue]
            )
        case (.tags, .present) where op == .has:
            return FilterSQLFragment(sql: "EXISTS (SELECT 1 FROM json_each(\(column)))")

        case (.integer, .present), (.timestamp, .present):
            return FilterSQLFragment(sql: "\(column) IS NOT NULL")
        case (.resource, .present):
            return FilterSQLFragment(sql: "(\(column) IS NOT NULL AND \(column) > 0)")
        case (.timestamp, .null) where op == .equals:
            return FilterSQLFragment(sql: "\(column) IS NULL")
        case (.timestamp, .null) where op == .notEquals:
            return FilterSQLFragment(sql: "\(column) IS NOT NULL")

        case (.integer, .integer(let number)), (.timestamp, .timestamp(let number)):
            return try Self.nullableComparison(column, op, number)
        case (.boolean, .boolean(let flag)):
            return try Self.nullableComparison(column, op, flag ? 1 : 0)
        case (.enumeration, .enumeration(_, let stored)):
            return try Self.nullableComparison(column, op, Int64(stored))
        case (.resource, .resource(let id)):
            return try Self.nullableComparison(column, op, id)

        default:
            throw Filter.syntaxError(
                "\(path) is \(field.kind.readableDescription) and cannot be compared with \(op.rawValue) \(value)"
            )
        }
    }

    /// `json_extract(column, '$."key"')`, with the path bound as an argument.
    private func attributeValue(_ column: String) -> FilterSQLFragment {
        FilterSQLFragment(sql: "json_extract(\(column), ?)", arguments: [Self.jsonPath(attributeKey ?? "")])
    }

    /// `$."key"`: quoted so that the dots a key may contain are not read as path steps.
    /// Keys cannot contain `"` (the parser admits ASCII letters, digits, `_`, `-` and `.`).
    static func jsonPath(_ key: String) -> DatabaseValue {
        "$.\"\(key)\"".databaseValue
    }

    /// Text comparisons; `value` must not be `NULL` (see ``absentAware(_:_:)`` for values that may be).
    private static func textComparison(
        _ value: FilterSQLFragment,
        _ op: FilterOperator,
        _ text: String
    )
        -> FilterSQLFragment
    {
        switch op {
        case .has:
            return FilterSQLFragment(
                sql: "instr(lower(\(value.sql)), lower(?)) > 0",
                arguments: value.arguments + [text.databaseValue]
            )
        default:
            return FilterSQLFragment(
                sql: "\(value.sql) \(sqlOperator(op)) ?",
                arguments: value.arguments + [text.databaseValue]
            )
        }
    }

    /// `value` starts with `prefix`, as the half-open range `[prefix, successor)` so that it stays
    /// case-sensitive like `=`, needs no `LIKE` escaping and can use an index.
    private static func prefixComparison(
        _ value: FilterSQLFragment,
        _ op: FilterOperator,
        _ prefix: String
    )
        -> FilterSQLFragment
    {
        var range: FilterSQLFragment
        if let upper = prefixUpperBound(prefix) {
            range = FilterSQLFragment(
                sql: "(\(value.sql) >= ? AND \(value.sql) < ?)",
                arguments: value.arguments + [prefix.databaseValue] + value.arguments + [upper.databaseValue]
            )
        } else {
            range = FilterSQLFragment(sql: "\(value.sql) >= ?", arguments: value.arguments + [prefix.databaseValue])
        }
        if op == .notEquals {
            range.sql = "NOT " + FilterExpression.parenthesised(range.sql)
        }
        return range
    }

    /// The least string greater than every string that starts with `prefix`, in code-point order
    /// (which is SQLite's `BINARY` order of UTF-8 text); nil when there is none.
    static func prefixUpperBound(_ prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }  // skip the surrogates, which are not scalars
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var upper = String.UnicodeScalarView()
                upper.append(contentsOf: scalars)
                return String(upper)
            }
        }
        return nil
    }

    /// Makes a comparison of a value that is `NULL` when absent (a missing attribute) two-valued:
    /// absent fails every operator but `!=`.
    private static func absentAware(_ fragment: FilterSQLFragment, _ op: FilterOperator) -> FilterSQLFragment {
        FilterSQLFragment(sql: "COALESCE(\(fragment.sql), \(op == .notEquals ? 1 : 0))", arguments: fragment.arguments)
    }

    /// A comparison of an `INTEGER` column that may be `NULL`; `NULL` fails every operator but `!=`.
    private static func nullableComparison(
        _ column: String,
        _ op: FilterOperator,
        _ number: Int64
    ) throws
        -> FilterSQLFragment
    {
        switch op {
        case .has:
            throw Filter.syntaxError("\":\" cannot compare numbers")
        case .notEquals:
            return FilterSQLFragment(sql: "(\(column) IS NULL OR \(column) <> ?)", arguments: [number.databaseValue])
        default:
            return FilterSQLFragment(
                sql: "(\(column) IS NOT NULL AND \(column) \(sqlOperator(op)) ?)",
                arguments: [number.databaseValue]
            )
        }
    }

    private static func sqlOperator(_ op: FilterOperator) -> String {
        switch op {
        case .equals: "="
        case .notEquals: "<>"
        case .lessThan: "<"
        case .lessThanOrEquals: "<="
        case .greaterThan: ">"
        case .greaterThanOrEquals: ">="
        case .has: "<>"  // never used: `:` is handled by each kind
        }
    }

    /// The schema's column expression, parenthesised unless it is a plain (qualified) name, so that an
    /// expression such as `a || b` keeps its meaning next to an operator.
    private static func term(_ column: String) -> String {
        let isName = column.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "."
        }
        return isName ? column : "(\(column))"
    }
}

import CRMCore

extension FilterExpression {
    /// The expression as SQL whose every comparison is true or false, never `NULL`: an unset
    /// field fails `=`, `<`, `:` and friends and passes `!=`, so that `NOT` is always the complement.
    func sqlFragment(columns: SQLColumns) throws -> FilterSQLFragment {
        switch self {
        case .and(let operands):
            return try Self.join(operands, with: " AND ", columns: columns)
        case .or(let operands):
            return try Self.join(operands, with: " OR ", columns: columns)
        case .not(let operand):
            let inner = try operand.sqlFragment(columns: columns)
            return FilterSQLFragment(sql: "NOT " + Self.parenthesised(inner.sql), arguments: inner.arguments)
        case .comparison(let comparison):
            guard let field = columns.fields[comparison.field] else {
                throw Filter.syntaxError("unknown field \"\(comparison.field)\"")
            }
            guard !columns.sealedPaths.contains(comparison.path) else {
                throw Filter.syntaxError(
                    "\(comparison.path) is sealed at rest (storage key; docs/security.md) and cannot be filtered on"
                )
            }
            return try comparison.sqlFragment(field: field, column: columns.column(field.name))
        }
    }

    /// `sql` wrapped in parentheses, unless one pair already encloses all of it.
    static func parenthesised(_ sql: String) -> String {
        guard sql.hasPrefix("("), sql.hasSuffix(")") else {
            return "(\(sql))"
        }
        let last = sql.count - 1
        var depth = 0
        for (offset, character) in sql.enumerated() {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth == 0 && offset < last {
                return "(\(sql))"
            }
        }
        return sql
    }

    private static func join(
        _ operands: [FilterExpression],
        with separator: String,
        columns: SQLColumns
    ) throws
        -> FilterSQLFragment
    {
        guard !operands.isEmpty else {
            throw Filter.syntaxError("AND and OR need at least one operand")
        }
        let fragments = try operands.map { try $0.sqlFragment(columns: columns) }
        if fragments.count == 1 {
            return fragments[0]
        }
        return FilterSQLFragment(
            sql: "(" + fragments.map(\.sql).joined(separator: separator) + ")",
            arguments: fragments.flatMap(\.arguments)
        )
    }
}

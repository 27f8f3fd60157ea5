import CRMCore

extension FilterExpression {
    /// The expression as SQL whose every comparison is true or false, never `NULL`: an unset
    /// field fails `=`, `<`, `:` and friends and passes `!=`, so that `NOT` is always the complement.
    func sqlFragment(schema: FilterSchema) throws -> FilterSQLFragment {
        switch self {
        case .and(let operands):
            return try Self.join(operands, with: " AND ", schema: schema)
        case .or(let operands):
            return try Self.join(operands, with: " OR ", schema: schema)
        case .not(let operand):
            let inner = try operand.sqlFragment(schema: schema)
            return FilterSQLFragment(sql: "NOT " + Self.parenthesised(inner.sql), arguments: inner.arguments)
        case .comparison(let comparison):
            guard let field = schema[comparison.field] else {
                throw Filter.syntaxError("unknown field \"\(comparison.field)\"")
            }
            return try comparison.sqlFragment(field: field)
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
        schema: FilterSchema
    ) throws
        -> FilterSQLFragment
    {
        guard !operands.isEmpty else {
            throw Filter.syntaxError("AND and OR need at least one operand")
        }
        let fragments = try operands.map { try $0.sqlFragment(schema: schema) }
        if fragments.count == 1 {
            return fragments[0]
        }
        return FilterSQLFragment(
            sql: "(" + fragments.map(\.sql).joined(separator: separator) + ")",
            arguments: fragments.flatMap(\.arguments)
        )
    }
}

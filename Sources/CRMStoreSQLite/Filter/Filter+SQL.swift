public import CRMCore

extension Filter {
    /// Compiles `text` to a `WHERE` fragment (without the keyword).
    ///
    /// - Parameters:
    ///   - text: the filter a client sent; empty or blank means no filter.
    ///   - columns: the fields the filter may name, and their columns.
    /// - Returns: the condition, or nil when `text` is blank.
    /// - Throws: ``CRMError`` (`invalidArgument` on `filter`) describing the first problem and its column.
    public static func compile(_ text: String, columns: SQLColumns) throws -> SQLCondition? {
        guard let expression = try parse(text, schema: columns.fields) else {
            return nil
        }
        return try compile(expression, columns: columns)
    }

    /// Compiles a syntax tree, parsed by ``parse(_:schema:)`` or built by hand, to a `WHERE` fragment.
    ///
    /// - Parameters:
    ///   - expression: the filter.
    ///   - columns: the fields the expression names, and their columns.
    /// - Throws: ``CRMError`` when the expression names a field the schema lacks or compares a field
    ///   with a value of another type (only possible for hand-built trees).
    public static func compile(_ expression: FilterExpression, columns: SQLColumns) throws -> SQLCondition {
        let fragment = try expression.sqlFragment(columns: columns)
        return SQLCondition(sql: fragment.sql, arguments: fragment.statementArguments)
    }
}

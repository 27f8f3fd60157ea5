/// The `filter` of List requests: a documented subset of Google AIP-160, compiled to parameterised
/// SQL. See `docs/filtering.md` for the language.
///
/// Field names are looked up in a ``FilterSchema`` and replaced by the columns it declares; every
/// value a client writes becomes a bound argument. Errors are ``CRMError/invalid(_:_:)`` on the
/// field `filter`, naming the 1-based column where the problem is.
public enum Filter {
    /// The longest filter accepted, in Unicode scalars.
    public static let maximumLength = 2_000
    /// The deepest nesting of parentheses accepted.
    public static let maximumDepth = 32
    /// The most comparisons one filter may contain.
    public static let maximumComparisons = 100

    /// Parses `text` into a syntax tree, validating field names, operators and values against `schema`.
    ///
    /// - Parameters:
    ///   - text: the filter a client sent; empty or blank means no filter.
    ///   - schema: the fields the filter may name.
    /// - Returns: the expression, or nil when `text` is blank.
    /// - Throws: ``CRMError`` (`invalidArgument` on `filter`) describing the first problem and its column.
    public static func parse(_ text: String, schema: FilterSchema) throws -> FilterExpression? {
        let length = text.unicodeScalars.count
        guard length <= maximumLength else {
            throw syntaxError("is \(length) characters long; at most \(maximumLength) are allowed")
        }
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            return nil
        }
        var parser = FilterParser(tokens: try FilterLexer.tokens(text), schema: schema)
        return try parser.parseFilter()
    }

    /// Compiles `text` to a `WHERE` fragment (without the keyword).
    ///
    /// - Parameters:
    ///   - text: the filter a client sent; empty or blank means no filter.
    ///   - schema: the fields the filter may name, and their columns.
    /// - Returns: the condition, or nil when `text` is blank.
    /// - Throws: ``CRMError`` (`invalidArgument` on `filter`) describing the first problem and its column.
    public static func compile(_ text: String, schema: FilterSchema) throws -> SQLCondition? {
        guard let expression = try parse(text, schema: schema) else {
            return nil
        }
        return try compile(expression, schema: schema)
    }

    /// Compiles a syntax tree, parsed by ``parse(_:schema:)`` or built by hand, to a `WHERE` fragment.
    ///
    /// - Parameters:
    ///   - expression: the filter.
    ///   - schema: the fields the expression names, and their columns.
    /// - Throws: ``CRMError`` when the expression names a field the schema lacks or compares a field
    ///   with a value of another type (only possible for hand-built trees).
    public static func compile(_ expression: FilterExpression, schema: FilterSchema) throws -> SQLCondition {
        let fragment = try expression.sqlFragment(schema: schema)
        return SQLCondition(sql: fragment.sql, arguments: fragment.statementArguments)
    }

    /// The error for anything wrong in a filter.
    static func syntaxError(_ description: String) -> CRMError {
        CRMError.invalid("filter", description)
    }
}

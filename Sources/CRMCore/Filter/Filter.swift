/// The `filter` of List requests: a documented subset of Google AIP-160, parsed into a
/// ``FilterExpression`` that each store compiles to its own parameterised query (the SQLite store:
/// `Filter+SQL.swift` in CRMStoreSQLite). See `docs/filtering.md` for the language.
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

    /// The error for anything wrong in a filter.
    package static func syntaxError(_ description: String) -> CRMError {
        CRMError.invalid("filter", description)
    }
}

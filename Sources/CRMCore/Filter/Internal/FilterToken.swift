/// One token of a filter, with the 1-based column (in Unicode scalars) where it starts.
struct FilterToken: Equatable {
    enum Kind: Equatable {
        /// A bare word: a field name, a number, a label, `*`, `2025-01-01`.
        case word(FilterLiteral)
        /// A double-quoted string, escapes resolved.
        case string(FilterLiteral)
        case comparator(FilterOperator)
        case and
        case or
        case not
        /// `-` directly before a term: the same as `NOT`.
        case minus
        case openParenthesis
        case closeParenthesis
        case end
    }

    var kind: Kind
    var column: Int

    /// The token as a person reads it in an error message.
    var readableDescription: String {
        switch kind {
        case .word(let literal): "\"\(literal.text)\""
        case .string(let literal): "the string \"\(literal.text)\""
        case .comparator(let op): "\"\(op.rawValue)\""
        case .and: "the keyword AND"
        case .or: "the keyword OR"
        case .not: "the keyword NOT"
        case .minus: "\"-\""
        case .openParenthesis: "\"(\""
        case .closeParenthesis: "\")\""
        case .end: "the end of the filter"
        }
    }
}

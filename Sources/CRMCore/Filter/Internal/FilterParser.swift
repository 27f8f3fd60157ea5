/// A recursive-descent parser for AIP-160's grammar, restricted to comparisons:
///
/// ```
/// filter     = [expression]
/// expression = sequence {"AND" sequence}
/// sequence   = factor {factor}
/// factor     = term {"OR" term}
/// term       = ["NOT" | "-"] simple
/// simple     = restriction | "(" expression ")"
/// restriction = field comparator value
/// ```
///
/// As AIP-160 specifies, `OR` binds tighter than juxtaposition, which binds tighter than `AND`:
/// `a AND b OR c` is `a AND (b OR c)`.
struct FilterParser {
    private let tokens: [FilterToken]
    private let schema: FilterSchema
    private var index = 0
    private var depth = 0
    private var comparisons = 0

    init(tokens: [FilterToken], schema: FilterSchema) {
        self.tokens = tokens
        self.schema = schema
    }

    private var current: FilterToken { tokens[index] }

    private mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    mutating func parseFilter() throws -> FilterExpression {
        let expression = try parseExpression()
        switch current.kind {
        case .end:
            return expression
        case .closeParenthesis:
            throw Filter.syntaxError("unmatched \")\" at column \(current.column)")
        default:
            throw Filter.syntaxError(
                "unexpected \(current.readableDescription) at column \(current.column); "
                    + "expected AND, OR, another comparison or the end of the filter"
            )
        }
    }

    private mutating func parseExpression() throws -> FilterExpression {
        var sequences = [try parseSequence(after: nil)]
        while current.kind == .and {
            let keyword = current
            advance()
            sequences.append(try parseSequence(after: keyword))
        }
        return .conjunction(sequences)
    }

    /// Factors side by side: `a = 1 b = 2` means `a = 1 AND b = 2`.
    private mutating func parseSequence(after keyword: FilterToken?) throws -> FilterExpression {
        var factors = [try parseFactor(after: keyword)]
        while startsTerm(current) {
            factors.append(try parseFactor(after: nil))
        }
        return .conjunction(factors)
    }

    private mutating func parseFactor(after keyword: FilterToken?) throws -> FilterExpression {
        var terms = [try parseTerm(after: keyword)]
        while current.kind == .or {
            let keyword = current
            advance()
            terms.append(try parseTerm(after: keyword))
        }
        return .disjunction(terms)
    }

    private func startsTerm(_ token: FilterToken) -> Bool {
        switch token.kind {
        case .word, .string, .not, .minus, .openParenthesis: true
        default: false
        }
    }

    private mutating func parseTerm(after keyword: FilterToken?) throws -> FilterExpression {
        switch current.kind {
        case .not, .minus:
            let negation = current
            advance()
            return .not(try parseSimple(after: negation))
        default:
            return try parseSimple(after: keyword)
        }
    }

    /// A comparison or a parenthesised expression; `keyword` is the token before it, for the error message.
    private mutating func parseSimple(after keyword: FilterToken?) throws -> FilterExpression {
        let token = current
        switch token.kind {
        case .openParenthesis:
            depth += 1
            defer { depth -= 1 }
            guard depth <= Filter.maximumDepth else {
                throw Filter.syntaxError(
                    "parentheses at column \(token.column) are nested too deeply; "
                        + "at most \(Filter.maximumDepth) levels are allowed"
                )
            }
            advance()
            let expression = try parseExpression()
            guard current.kind == .closeParenthesis else {
                throw Filter.syntaxError(
                    "expected \")\" at column \(current.column) to close the \"(\" at column \(token.column), "
                        + "found \(current.readableDescription)"
                )
            }
            advance()
            return expression
        case .word(let name):
            return .comparison(try parseRestriction(name: name.text, column: token.column))
        case .string(let literal):
            throw Filter.syntaxError(
                "expected a field name at column \(token.column), found the string \"\(literal.text)\" "
                    + "(field names are written without quotes, and every comparison needs a field: field = value)"
            )
        default:
            let context = keyword.map { " after \($0.readableDescription) at column \($0.column)" } ?? ""
            throw Filter.syntaxError(
                "expected a comparison (field = value) or \"(\"\(context), "
                    + "found \(token.readableDescription) at column \(token.column)"
            )
        }
    }

    private mutating func parseRestriction(name: String, column: Int) throws -> FilterComparison {
        comparisons += 1
        guard comparisons <= Filter.maximumComparisons else {
            throw Filter.syntaxError(
                "too many comparisons: at most \(Filter.maximumComparisons) are allowed, "
                    + "and comparison \(comparisons) starts at column \(column)"
            )
        }
        let (field, key) = try resolveField(name, column: column)
        advance()
        guard case .comparator(let op) = current.kind else {
            throw Filter.syntaxError(
                "expected an operator (=, !=, <, <=, >, >= or :) after \"\(name)\" at column \(current.column), "
                    + "found \(current.readableDescription)"
            )
        }
        let opToken = current
        advance()
        let valueToken = current
        let literal: FilterLiteral
        switch valueToken.kind {
        case .word(let word): literal = word
        case .string(let string): literal = string
        case .and, .or, .not:
            throw Filter.syntaxError(
                "expected a value after \"\(op.rawValue)\" at column \(valueToken.column), "
                    + "found \(valueToken.readableDescription) (quote it to compare with that text)"
            )
        default:
            throw Filter.syntaxError(
                "expected a value after \"\(op.rawValue)\" at column \(valueToken.column), "
                    + "found \(valueToken.readableDescription)"
            )
        }
        advance()
        let reader = FilterValueReader(
            field: field,
            attributeKey: key,
            op: op,
            opColumn: opToken.column,
            literal: literal,
            column: valueToken.column
        )
        return try reader.comparison()
    }

    private func resolveField(_ name: String, column: Int) throws -> (FilterField, String?) {
        guard let (field, key) = schema.resolve(name) else {
            if ["and", "or", "not"].contains(name.lowercased()) {
                throw Filter.syntaxError(
                    "unknown field \"\(name)\" at column \(column); "
                        + "the keywords AND, OR and NOT are written in upper case"
                )
            }
            let known = schema.fields.map { $0.kind == .attributes ? "\($0.name).<key>" : $0.name }
            throw Filter.syntaxError(
                "unknown field \"\(name)\" at column \(column); expected one of: \(known.joined(separator: ", "))"
            )
        }
        if let key {
            try FilterValueReader.checkAttributeKey(
                key,
                field: field,
                column: column + field.name.unicodeScalars.count + 1
            )
        }
        return (field, key)
    }
}

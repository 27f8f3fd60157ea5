/// Splits filter text into ``FilterToken``s.
///
/// Words run until whitespace or one of `( ) " : = ! < > ,`; so `address.city`, `customers/12`,
/// `2025-01-01`, `shoe-size` and `Jo*` are single words, while a time with colons must be quoted.
struct FilterLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// All tokens, ending with ``FilterToken/Kind/end``.
    static func tokens(_ text: String) throws -> [FilterToken] {
        var lexer = FilterLexer(text)
        var tokens: [FilterToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private static let delimiters: Set<Unicode.Scalar> = ["(", ")", "\"", ":", "=", "!", "<", ">", ","]

    private var column: Int { index + 1 }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func next() throws -> FilterToken {
        while let scalar = peek(), scalar.properties.isWhitespace {
            index += 1
        }
        let start = column
        guard let scalar = peek() else {
            return FilterToken(kind: .end, column: start)
        }
        switch scalar {
        case "(":
            index += 1
            return FilterToken(kind: .openParenthesis, column: start)
        case ")":
            index += 1
            return FilterToken(kind: .closeParenthesis, column: start)
        case "=", ":":
            index += 1
            return FilterToken(kind: .comparator(scalar == "=" ? .equals : .has), column: start)
        case "<", ">":
            index += 1
            let orEquals = peek() == "="
            if orEquals { index += 1 }
            let op: FilterOperator =
                scalar == "<"
                ? (orEquals ? .lessThanOrEquals : .lessThan) : (orEquals ? .greaterThanOrEquals : .greaterThan)
            return FilterToken(kind: .comparator(op), column: start)
        case "!":
            guard peek(1) == "=" else {
                throw Filter.syntaxError(
                    "\"!\" at column \(start) must be followed by \"=\" (the not-equal operator is !=)"
                )
            }
            index += 2
            return FilterToken(kind: .comparator(.notEquals), column: start)
        case ",":
            throw Filter.syntaxError("unexpected \",\" at column \(start): functions and lists are not supported")
        case "'":
            throw Filter.syntaxError(
                "unexpected \"'\" at column \(start): strings are written in double quotes, e.g. \"O'Brien\""
            )
        case "\"":
            return FilterToken(kind: .string(try quotedString()), column: start)
        case "-" where !Self.isDigit(peek(1)):
            index += 1
            return FilterToken(kind: .minus, column: start)
        default:
            return word(startingAt: start)
        }
    }

    /// `-` before a digit starts a negative number; anywhere else at the start of a token it is `NOT`.
    private static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("0"..."9").contains(scalar)
    }

    private mutating func word(startingAt start: Int) -> FilterToken {
        var text = String.UnicodeScalarView()
        while let scalar = peek(), !scalar.properties.isWhitespace, !Self.delimiters.contains(scalar) {
            text.append(scalar)
            index += 1
        }
        let word = String(text)
        switch word {
        case "AND": return FilterToken(kind: .and, column: start)
        case "OR": return FilterToken(kind: .or, column: start)
        case "NOT": return FilterToken(kind: .not, column: start)
        default:
            let stars = text.indices.filter { text[$0] == "*" }
            let endsWithWildcard = text.last == "*"
            let literal = FilterLiteral(
                text: word,
                isQuoted: false,
                endsWithWildcard: endsWithWildcard,
                hasInnerWildcard: stars.count > (endsWithWildcard ? 1 : 0)
            )
            return FilterToken(kind: .word(literal), column: start)
        }
    }

    /// Reads `"…"` from the opening quote; `\"`, `\\`, `\*`, `\n`, `\t` and `\r` are the escapes.
    private mutating func quotedString() throws -> FilterLiteral {
        let start = column
        index += 1
        var text = String.UnicodeScalarView()
        var length = 0
        var unescapedStars: [Int] = []
        while let scalar = peek() {
            index += 1
            switch scalar {
            case "\"":
                let endsWithWildcard = length > 0 && unescapedStars.last == length - 1
                return FilterLiteral(
                    text: String(text),
                    isQuoted: true,
                    endsWithWildcard: endsWithWildcard,
                    hasInnerWildcard: unescapedStars.count > (endsWithWildcard ? 1 : 0)
                )
            case "\\":
                guard let escaped = peek() else {
                    throw Filter.syntaxError("the string starting at column \(start) ends with a lone \"\\\"")
                }
                let replacement: Unicode.Scalar? =
                    switch escaped {
                    case "\"", "\\", "*", "'": escaped
                    case "n": "\n"
                    case "t": "\t"
                    case "r": "\r"
                    default: nil
                    }
                guard let replacement else {
                    throw Filter.syntaxError(
                        "unknown escape \"\\\(escaped)\" at column \(column - 1); "
                            + "expected \\\" \\\\ \\* \\n \\t or \\r"
                    )
                }
                text.append(replacement)
                index += 1
            case "*":
                unescapedStars.append(length)
                text.append(scalar)
            default:
                text.append(scalar)
            }
            length += 1
        }
        throw Filter.syntaxError("the string starting at column \(start) is not closed: expected a closing \"")
    }
}

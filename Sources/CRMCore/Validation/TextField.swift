import Foundation

/// Free text a client writes: names, addresses, notes.
public enum TextField {
    /// The text in its stored form: surrounding whitespace and line breaks trimmed.
    ///
    /// Lengths are counted in `Character`s, what a person sees as one letter, so that `"é"` counts once
    /// whether it was sent precomposed or as `e` and a combining accent.
    ///
    /// - Parameters:
    ///   - raw: the text as the client sent it.
    ///   - field: the path of the field in the request, named in the error.
    ///   - required: whether blank text is an error ("is required") rather than "not set".
    ///   - maxLength: the most characters allowed after trimming.
    ///   - multiline: whether line feeds, carriage returns and tabs are allowed inside the text. Other control
    ///     characters are never allowed, and NUL is rejected with its own message because it usually means
    ///     binary data was sent by mistake.
    /// - Returns: the trimmed text; empty when `raw` is blank and not required.
    /// - Throws: ``CRMError`` (`invalidArgument`) naming `field` with the reason the text is not acceptable.
    public static func normalized(
        _ raw: String,
        field: String,
        required: Bool = false,
        maxLength: Int,
        multiline: Bool = false
    ) throws -> String {
        let text = raw.trimmed
        if text.isEmpty {
            if required {
                throw CRMError.invalid(field, "is required")
            }
            return ""
        }
        if text.unicodeScalars.contains("\0") {
            throw CRMError.invalid(field, "must not contain NUL characters")
        }
        if let bad = text.unicodeScalars.first(where: { !isAllowed($0, multiline: multiline) }) {
            let what = isLineBreak(bad) ? "line breaks" : "control characters"
            throw CRMError.invalid(field, "must not contain \(what) (found \(Character(bad).readableDescription))")
        }
        let length = text.count
        if length > maxLength {
            throw CRMError.invalid(field, "must be at most \(maxLength) characters (got \(length))")
        }
        return text
    }

    private static func isAllowed(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.properties.generalCategory {
        case .control:
            return multiline && (scalar == "\n" || scalar == "\r" || scalar == "\t")
        case .lineSeparator, .paragraphSeparator:
            return multiline
        default:
            return true
        }
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": true
        default: false
        }
    }
}

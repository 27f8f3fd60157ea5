/// The text of a word or a quoted string, and where its unescaped `*` wildcards are.
struct FilterLiteral: Equatable {
    /// The text with escapes resolved, wildcards included.
    var text: String
    var isQuoted: Bool
    /// The last character is a `*` that was not escaped: a prefix match.
    var endsWithWildcard = false
    /// An unescaped `*` appears before the last character.
    var hasInnerWildcard = false

    /// The text without the trailing wildcard.
    var prefix: String {
        endsWithWildcard ? String(text.unicodeScalars.dropLast()) : text
    }
}

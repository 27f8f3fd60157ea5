/// The keys of a customer's free-form attributes (`loyalty_tier`, `crm.source`).
///
/// Keys are stricter than tags: they are meant to be used in filters and as column names when exporting,
/// so they are plain ASCII and start with a letter.
public enum AttributeKey {
    /// The longest key.
    public static let maxLength = 64

    /// The key as it is stored: unchanged, case kept. Keys are not trimmed, since a key that differed from
    /// another only by spaces would be a trap; a key with spaces is rejected instead.
    ///
    /// - Parameters:
    ///   - raw: the key as the client sent it.
    ///   - field: the path of the attribute in the request, e.g. `customer.attributes["tier"]`, named in the error.
    /// - Returns: the key.
    /// - Throws: ``CRMError`` (`invalidArgument`) naming `field` when the key is empty, longer than ``maxLength``,
    ///   does not start with a letter or contains anything but ASCII letters, digits and `_ - .`.
    public static func normalized(_ raw: String, field: String) throws -> String {
        guard let first = raw.first else {
            throw CRMError.invalid(field, "key must not be empty")
        }
        if raw.count > maxLength {
            throw CRMError.invalid(field, "key must be at most \(maxLength) characters (got \(raw.count))")
        }
        guard first.isASCII && first.isLetter else {
            throw CRMError.invalid(field, "key must start with a letter (got \(first.readableDescription))")
        }
        if let bad = raw.first(where: { !isAllowed($0) }) {
            throw CRMError.invalid(
                field,
                "key may contain only ASCII letters, digits and _ - . (found \(bad.readableDescription))"
            )
        }
        return raw
    }

    private static func isAllowed(_ character: Character) -> Bool {
        character.isASCII
            && (character.isLetter || character.isNumber || character == "_" || character == "-" || character == ".")
    }
}

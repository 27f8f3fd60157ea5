import Foundation

/// Labels attached to a customer to group them (`vip`, `newsletter`, `region:north`).
public enum Tag {
    /// The longest tag.
    public static let maxLength = 64

    private static let punctuation: Set<Character> = ["-", "_", ".", ":"]

    /// The tag in its stored form: trimmed and lower-cased, so that `VIP` and `vip` are one tag.
    ///
    /// - Parameters:
    ///   - raw: the tag as the client sent it.
    ///   - field: the path of the tag in the request, e.g. `customer.tags[2]`, named in the error.
    /// - Returns: the lower-case tag.
    /// - Throws: ``CRMError`` (`invalidArgument`) naming `field` when the tag is blank, longer than
    ///   ``maxLength`` or contains anything but letters, digits and `- _ . :`.
    public static func normalized(_ raw: String, field: String) throws -> String {
        let tag = raw.trimmed.lowercased()
        if tag.isEmpty {
            throw CRMError.invalid(field, "must not be empty")
        }
        if tag.count > maxLength {
            throw CRMError.invalid(field, "must be at most \(maxLength) characters (got \(tag.count))")
        }
        if let bad = tag.first(where: { !($0.isLetter || $0.isDecimalDigit || punctuation.contains($0)) }) {
            throw CRMError.invalid(
                field,
                "may contain only letters, digits and - _ . : (found \(bad.readableDescription))"
            )
        }
        return tag
    }
}

import Foundation

/// Keys that name a record in another system (`external_id`, `customer_external_id`): `SAP-000123`,
/// `shop:order/2024/17`, `lead#42`.
public enum Identifier {
    /// Punctuation that other systems commonly put in their keys; everything else besides letters and digits
    /// is rejected so that ids can be quoted in filters, paths and CSV files without escaping.
    private static let punctuation: Set<Character> = ["-", "_", ".", ":", "/", "@", "#"]

    /// The identifier in its stored form: trimmed, case kept.
    ///
    /// - Parameters:
    ///   - raw: the identifier as the client sent it; blank means "none" unless `required`.
    ///   - field: the path of the field in the request, named in the error.
    ///   - maxLength: the most characters allowed.
    ///   - required: whether a blank identifier is an error ("is required").
    /// - Returns: the trimmed identifier; empty when `raw` is blank and not required.
    /// - Throws: ``CRMError`` (`invalidArgument`) naming `field` with the reason the identifier is not acceptable.
    public static func normalized(_ raw: String, field: String, maxLength: Int, required: Bool = false) throws -> String
    {
        let identifier = raw.trimmed
        if identifier.isEmpty {
            if required {
                throw CRMError.invalid(field, "is required")
            }
            return ""
        }
        if identifier.count > maxLength {
            throw CRMError.invalid(field, "must be at most \(maxLength) characters (got \(identifier.count))")
        }
        if let bad = identifier.first(where: { !isAllowed($0) }) {
            throw CRMError.invalid(
                field,
                "may contain only letters, digits and - _ . : / @ # (found \(bad.readableDescription))"
            )
        }
        return identifier
    }

    private static func isAllowed(_ character: Character) -> Bool {
        character.isLetter || character.isDecimalDigit || punctuation.contains(character)
    }
}

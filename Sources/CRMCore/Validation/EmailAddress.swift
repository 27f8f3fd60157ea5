import Foundation

/// The email addresses the registry accepts: a pragmatic subset of RFC 5321 mailboxes.
///
/// Quoted local parts, IP-literal domains and comments are legal in the RFC but do not occur in
/// customer records; they are rejected so that the stored form stays comparable and unique.
/// Internationalised domains may be written in Unicode (`anna@müller.de`).
public enum EmailAddress {
    /// The longest address that fits in an SMTP forward path (RFC 5321 §4.5.3.1.3 less the brackets).
    public static let maxLength = 254
    /// The longest local part (RFC 5321 §4.5.3.1.1).
    public static let maxLocalPartLength = 64
    /// The longest domain label (RFC 1035).
    public static let maxLabelLength = 63

    /// The characters RFC 5322 calls `atext`, which may appear in an unquoted local part besides dots.
    private static let localPartSymbols: Set<Character> = [
        "!", "#", "$", "%", "&", "'", "*", "+", "-", "/", "=", "?", "^", "_", "`", "{", "|", "}", "~",
    ]

    /// The address in its stored form: trimmed and lower-cased.
    ///
    /// - Parameters:
    ///   - raw: the address as the client sent it; an empty or blank value means "no address".
    ///   - field: the path of the field in the request, named in the error.
    /// - Returns: the normalised address, or an empty string when `raw` is blank.
    /// - Throws: ``CRMError`` (`invalidArgument`) naming `field` with the reason the address is not acceptable.
    public static func normalized(_ raw: String, field: String) throws -> String {
        let address = raw.trimmed.lowercased()
        if address.isEmpty {
            return ""
        }
        if let reason = problem(with: address) {
            throw CRMError.invalid(field, "is not a valid email address: \(reason)")
        }
        return address
    }

    /// Why `address` (already trimmed and lower-cased) is not acceptable, or nil when it is.
    private static func problem(with address: String) -> String? {
        if address.count > maxLength {
            return "must be at most \(maxLength) characters (got \(address.count))"
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return parts.count == 1 ? "must contain an @, as in name@example.com" : "must contain exactly one @"
        }
        return localPartProblem(parts[0]) ?? domainProblem(parts[1])
    }

    private static func localPartProblem(_ local: Substring) -> String? {
        if local.isEmpty {
            return "must have a name before the @"
        }
        if local.count > maxLocalPartLength {
            return "the part before the @ must be at most \(maxLocalPartLength) characters (got \(local.count))"
        }
        if let bad = local.first(where: { !isLocalPartCharacter($0) }) {
            return "the part before the @ must not contain \(bad.readableDescription)"
        }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.firstRange(of: "..") != nil {
            return "the part before the @ must not start or end with a dot or contain two dots in a row"
        }
        return nil
    }

    private static func domainProblem(_ domain: Substring) -> String? {
        if domain.isEmpty {
            return "must have a domain after the @"
        }
        guard domain.contains(".") else {
            return "the domain must contain at least one dot, as in example.com"
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            if label.isEmpty {
                return "the domain must not start or end with a dot or contain two dots in a row"
            }
            if label.count > maxLabelLength {
                return "each part of the domain must be at most \(maxLabelLength) characters (got \(label.count))"
            }
            if let bad = label.first(where: { !isDomainCharacter($0) }) {
                return "the domain must not contain \(bad.readableDescription)"
            }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                return "a part of the domain must not start or end with a hyphen (\"\(label)\")"
            }
        }
        // Every label is non-empty here, so there is a last one.
        let topLevel = labels[labels.count - 1]
        let isPunycode = topLevel.hasPrefix("xn--")
        if !isPunycode && (topLevel.count < 2 || !topLevel.allSatisfy(\.isLetter)) {
            return "the top-level domain must be at least two letters (got \"\(topLevel)\")"
        }
        return nil
    }

    private static func isLocalPartCharacter(_ character: Character) -> Bool {
        guard character.isASCII else { return false }
        return character.isLetter || character.isNumber || character == "." || localPartSymbols.contains(character)
    }

    /// Letters of any script (so that IDNs can be written in Unicode), ASCII digits and the hyphen.
    private static func isDomainCharacter(_ character: Character) -> Bool {
        if character.isASCII {
            return character.isLetter || character.isNumber || character == "-"
        }
        // A non-ASCII grapheme is accepted when it is a letter with any combining marks that follow it.
        return character.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .nonspacingMark, .spacingMark:
                true
            default:
                false
            }
        } && character.unicodeScalars.first.map { $0.properties.isAlphabetic } == true
    }
}

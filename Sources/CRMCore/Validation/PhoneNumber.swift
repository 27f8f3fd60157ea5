import Foundation

/// Phone numbers, stored in E.164 form (`+4930123456`) wherever the country is known.
///
/// This is a pragmatic normaliser, not a numbering-plan database: it knows every country's calling code and
/// national trunk prefix, and checks the length rules of E.164, but not which area codes exist.
public enum PhoneNumber {
    /// The most digits an E.164 number has, calling code included.
    public static let maxDigits = 15
    /// The fewest digits, calling code included, accepted for an international number.
    public static let minInternationalDigits = 8
    /// The fewest digits accepted for a number whose country is unknown.
    public static let minLocalDigits = 4

    /// Characters people put between digits to group them; they carry no meaning and are dropped.
    private static let separators: Set<Character> = [" ", "-", ".", "(", ")", "/"]

    /// The number in its stored form.
    ///
    /// - `+…` and `00…` are international: the result is `+` and the digits, which must start with a known
    ///   calling code and count 8 to 15. A `(0)` after the calling code, as in `+49 (0)30 1234567`, is dropped.
    /// - Otherwise, when `country` is known, the number is national: its trunk prefix (`0` in most countries that
    ///   have one, `8` in Russia) is dropped and the country's calling code put in front. In the North American
    ///   Numbering Plan (US, CA, the Caribbean) a national number has ten digits, or eleven starting with `1`.
    /// - Otherwise the digits alone are kept, 4 to 15 of them.
    ///
    /// Extensions (`ext. 12`, `x12`, `#12`) are rejected rather than silently dropped or merged into the number.
    ///
    /// - Parameters:
    ///   - raw: the number as the client sent it: digits grouped with spaces, `-`, `.`, `/` and parentheses.
    ///     An empty or blank value means "no number".
    ///   - country: the ISO 3166-1 alpha-2 country of the customer, used for national numbers; may be empty.
    ///   - field: the path of the field in the request, named in the error.
    /// - Returns: the normalised number, or an empty string when `raw` is blank.
    /// - Throws: ``CRMError`` (`invalidArgument`) naming `field` with the reason the number is not acceptable.
    public static func normalized(_ raw: String, country: String, field: String) throws -> String {
        let text = raw.trimmed
        if text.isEmpty {
            return ""
        }
        if let reason = characterProblem(in: text) {
            throw CRMError.invalid(field, reason)
        }
        if text.hasPrefix("+") {
            return try international(digits(of: text.dropFirst()), field: field)
        }
        let allDigits = digits(of: Substring(text))
        if allDigits.hasPrefix("00") {
            return try international(String(allDigits.dropFirst(2)), field: field)
        }
        guard (minLocalDigits...maxDigits).contains(allDigits.count) else {
            throw CRMError.invalid(
                field,
                "must contain \(minLocalDigits) to \(maxDigits) digits (got \(allDigits.count))"
            )
        }
        let countryCode = country.trimmed.uppercased()
        guard let callingCode = callingCodes[countryCode] else {
            return allDigits
        }
        return try national(allDigits, country: countryCode, callingCode: callingCode, field: field)
    }

    /// The forms a person may type a stored number in, for a search index: the number's digits, and for an
    /// international number its national significant number, alone and after the trunk prefix `0`
    /// (`+49402007233` → `49402007233 402007233 0402007233`). Calling codes form a prefix code, so the
    /// code is found without the country.
    public static func searchForms(of stored: String) -> String {
        let digits = stored.filter(isDigit)
        guard stored.hasPrefix("+") else { return digits }
        guard
            let code = (1...3).map({ String(digits.prefix($0)) }).first(where: knownCallingCodes.contains),
            digits.count > code.count
        else { return digits }
        let national = digits.dropFirst(code.count)
        return code == "1" ? "\(digits) \(national) 1\(national)" : "\(digits) \(national) 0\(national)"
    }

    /// The words of a search query written like a phone number (digits grouped by spaces, `-`, `.`, `/`,
    /// parentheses, perhaps a leading `+` or `00`) as the one word ``searchForms(of:)`` indexes: `040
    /// 2007233` → `0402007233`, `+49 40 2007233` → `49402007233`; nil when `query` is not such a number
    /// (a letter, or fewer than 4 digits).
    public static func searchWord(_ query: String) -> String? {
        let text = query.trimmed
        guard characterProblem(in: text) == nil else { return nil }
        var digits = Self.digits(of: Substring(text.hasPrefix("+") ? String(text.dropFirst()) : text))
        guard digits.count >= minLocalDigits else { return nil }
        if !text.hasPrefix("+"), digits.hasPrefix("00") { digits.removeFirst(2) }
        return digits
    }

    /// The international calling code of an ISO 3166-1 alpha-2 country (`DE` → `49`, `CA` → `1`), or nil when
    /// `country` is not an upper-case ISO code.
    public static func callingCode(forCountry country: String) -> String? {
        callingCodes[country]
    }

    /// Why the characters of `text` (trimmed, not empty) cannot be a phone number, or nil when they can.
    private static func characterProblem(in text: String) -> String? {
        // "ext", "x", "#", ";" and "," mark an extension ("ext" contains "x").
        if text.contains(where: { "xX#;,".contains($0) }) {
            return "must not include an extension; store only the number itself"
        }
        let body = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        if body.contains("+") {
            return "may contain + only at the start"
        }
        if let bad = body.first(where: { !(isDigit($0) || separators.contains($0)) }) {
            return "may contain only digits, spaces, a leading +, and - . / ( ) (found \(bad.readableDescription))"
        }
        return nil
    }

    /// `+` and the digits of a number written in international form, without its `+` or `00`.
    private static func international(_ withoutPrefix: String, field: String) throws -> String {
        guard (minInternationalDigits...maxDigits).contains(withoutPrefix.count) else {
            throw CRMError.invalid(
                field,
                "must have \(minInternationalDigits) to \(maxDigits) digits after the + (got \(withoutPrefix.count))"
            )
        }
        let candidates = (1...3).map { String(withoutPrefix.prefix($0)) }
        guard candidates.contains(where: knownCallingCodes.contains) else {
            throw CRMError.invalid(field, "unknown country calling code +\(candidates[2])")
        }
        return "+" + withoutPrefix
    }

    /// The E.164 form of a number written as it is dialled inside `country`.
    private static func national(_ digits: String, country: String, callingCode: String, field: String) throws -> String
    {
        var significant = Substring(digits)
        if callingCode == "1" {
            // North American Numbering Plan: ten digits, an area code first; a leading 1 is the calling code.
            if significant.count == 11 && significant.hasPrefix("1") {
                significant = significant.dropFirst()
            }
            guard significant.count == 10 else {
                throw CRMError.invalid(
                    field,
                    "must have 10 digits, or 11 starting with 1, for a number in \(country) (got \(digits.count))"
                )
            }
            if significant.hasPrefix("0") || significant.hasPrefix("1") {
                throw CRMError.invalid(field, "is not a number in \(country): area codes never start with 0 or 1")
            }
            return "+1" + significant
        }
        let trunkPrefix = trunkPrefixZero.contains(country) ? "0" : otherTrunkPrefixes[country]
        if let trunkPrefix, significant.hasPrefix(trunkPrefix) {
            significant = significant.dropFirst(trunkPrefix.count)
        }
        let total = callingCode.count + significant.count
        guard (minInternationalDigits...maxDigits).contains(total) else {
            let size = total < minInternationalDigits ? "short" : "long"
            let expected = "\(minInternationalDigits) to \(maxDigits)"
            throw CRMError.invalid(
                field,
                "is too \(size) for a number in \(country): "
                    + "+\(callingCode) \(significant) has \(total) digits, expected \(expected)"
            )
        }
        return "+" + callingCode + significant
    }

    /// The ASCII digits of `text`, dropping separators, and `(0)` which marks the trunk prefix not to dial
    /// from abroad.
    private static func digits(of text: Substring) -> String {
        var digits = ""
        var rest = text[...]
        while let character = rest.first {
            if rest.hasPrefix("(0)") {
                rest = rest.dropFirst(3)
                continue
            }
            if isDigit(character) { digits.append(character) }
            rest = rest.dropFirst()
        }
        return digits
    }

    private static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }
}

import Foundation

/// The normalisers of the duplicate search: what makes two spellings of an email, a name, a phone number, an
/// address or a company compare equal.
///
/// ``DuplicateFinder`` keeps only what these return (hashed), so a server that wants to explain a group, or to
/// look up customers by the same keys, gets the same answers by calling them.
public enum DuplicateNormalization {
    /// The mailbox an address delivers to: lower-case, without a `+tag` after the local part (for every domain:
    /// `anna+shop@web.de` is `anna@web.de`), and for Gmail without dots in the local part and with
    /// `googlemail.com` read as `gmail.com`, as Gmail itself does.
    /// - Parameter email: The address as stored; may be empty.
    /// - Returns: The key, or an empty string for an empty address. An address without `@` is only lower-cased.
    public static func emailKey(_ email: String) -> String {
        var address = Array(email.utf8)
        while let last = address.last, isASCIISpace(last) {
            address.removeLast()
        }
        let start = address.firstIndex { !isASCIISpace($0) } ?? address.endIndex
        address.removeSubrange(..<start)
        guard address.allSatisfy({ $0 < 0x80 }) else {
            return unicodeEmailKey(email.trimmed.lowercased())
        }
        for index in address.indices where address[index] >= 65 && address[index] <= 90 {
            address[index] += 32
        }
        guard let at = address.lastIndex(of: UInt8(ascii: "@")) else {
            return String(decoding: address, as: UTF8.self)
        }
        var local = address[..<at]
        var domain = address[(at + 1)...]
        if let plus = local.firstIndex(of: UInt8(ascii: "+")) {
            local = local[..<plus]
        }
        if domain.elementsEqual("googlemail.com".utf8) {
            domain = ArraySlice("gmail.com".utf8)
        }
        var key = domain.elementsEqual("gmail.com".utf8) ? local.filter { $0 != UInt8(ascii: ".") } : Array(local)
        key.append(UInt8(ascii: "@"))
        key.append(contentsOf: domain)
        return String(decoding: key, as: UTF8.self)
    }

    /// The words of a name, case- and accent-folded (`José MÜLLER` → `jose`, `muller`; `ß` → `ss`; `Łukasz`
    /// → `lukasz`), split on everything that is not a letter, in their order.
    /// - Parameter name: A display name as entered.
    public static func nameTokens(_ name: String) -> [String] {
        tokens(of: folded(name), keepingDigits: false)
    }

    /// The digits of a stored phone number (E.164 without the `+`), or an empty string when it has fewer than
    /// seven digits and so cannot tell two people apart.
    /// - Parameter phone: The number as stored (`+4930123456`).
    public static func phoneKey(_ phone: String) -> String {
        let digits = String(phone.unicodeScalars.filter { $0.value >= 48 && $0.value <= 57 })
        return digits.count >= minimumPhoneDigits ? digits : ""
    }

    /// The Jaro-Winkler similarity of two strings over their Unicode scalars: 1 for equal strings, 0 for
    /// strings without a common scalar within reach of each other.
    ///
    /// Winkler's prefix bonus (0.1 per common leading scalar, at most four) is added when the Jaro similarity is
    /// above 0.7, as in Winkler's definition. The comparison is exact; fold the strings first (``nameTokens(_:)``)
    /// to ignore case and accents.
    public static func jaroWinkler(_ first: String, _ second: String) -> Double {
        let a = first.unicodeScalars.map(\.value)
        let b = second.unicodeScalars.map(\.value)
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in JaroWinkler.similarity(a, b) }
        }
    }

    /// A company without its legal form and punctuation (`ACME Gesellschaft` and `Acme GmbH & Co. KG` are both
    /// `acme`), or an empty string when nothing else is left.
    public static func companyKey(_ company: String) -> String {
        tokens(of: folded(company), keepingDigits: true)
            .filter { $0.count > 1 && !legalForms.contains($0) }
            .map(transliterated)
            .joined(separator: " ")
    }

    /// A street and house number without spaces and punctuation, with `straße`, `strasse` and `str.` written
    /// one way (`Hauptstraße 5`, `Haupt-Str. 5` and `hauptstr 5` are all `hauptstr5`), likewise `street`,
    /// `avenue` and `road`.
    public static func streetKey(_ street: String) -> String {
        tokens(of: folded(street), keepingDigits: true).map { token in
            let token = transliterated(token)
            for (long, short) in streetWords where token.hasSuffix(long) {
                return token.dropLast(long.count) + short
            }
            return token
        }.joined()
    }

    /// A postal code or city without case, accents, spaces and punctuation (`SW1A 1AA` is `sw1a1aa`,
    /// `München` and `Muenchen` are `munchen`).
    public static func placeKey(_ place: String) -> String {
        tokens(of: folded(place), keepingDigits: true).map(transliterated).joined()
    }
}

extension DuplicateNormalization {
    /// The fewest digits of a phone number that take part in the search.
    static let minimumPhoneDigits = 7
    /// The most name tokens compared; the rest of a very long name is ignored.
    static let maximumNameTokens = 8

    /// The name tokens the finder compares: ``nameTokens(_:)`` with German umlauts written out read as the
    /// plain vowel (`mueller` as `muller`, like the folded `Müller`), and forms of address and academic titles
    /// (`Dr.`, `Frau`, `Mr`) dropped.
    static func matchTokens(_ name: String) -> [String] {
        var result: [String] = []
        for token in nameTokens(name) where !titles.contains(token) {
            result.append(transliterated(token))
            if result.count == maximumNameTokens {
                break
            }
        }
        return result
    }

    /// The local part of an email key without dots, when it is personal enough to suggest the same person at
    /// another provider: at least six characters of which two or more are digits (`anna.berger84`), since
    /// `anna.berger` alone is as common as the name. Nil otherwise.
    static func distinctiveLocalPart(ofKey key: String) -> String? {
        let bytes = Array(key.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else {
            return nil
        }
        let local = bytes[..<at].filter { $0 != UInt8(ascii: ".") }
        guard local.count >= 6, local.count(where: { $0 >= 48 && $0 <= 57 }) >= 2 else {
            return nil
        }
        return String(decoding: local, as: UTF8.self)
    }

    /// Lower-cased and accent-folded; ASCII text is lower-cased without going through Foundation, which on
    /// Linux costs a few microseconds per string.
    static func folded(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }
        // Latin letters fold one by one, from a table Foundation filled; anything else (combining marks, other
        // scripts) goes through Foundation as a whole.
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                result.append(Unicode.Scalar(UInt8(scalar.value) | (scalar.value >= 65 && scalar.value <= 90 ? 32 : 0)))
            } else if latinFolds.indices.contains(Int(scalar.value) - 0x80) {
                result.append(contentsOf: latinFolds[Int(scalar.value) - 0x80].unicodeScalars)
            } else {
                return spelt(foundationFolded(text))
            }
        }
        return String(result)
    }

    private static func foundationFolded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// ``letterSpellings`` applied to folded text.
    private static func spelt(_ folded: String) -> String {
        guard folded.unicodeScalars.contains(where: { letterSpellings[$0] != nil }) else {
            return folded
        }
        var result = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if let spelling = letterSpellings[scalar] {
                result.append(contentsOf: spelling.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// The folded and spelt form of each scalar from U+0080 to U+024F (Latin-1 and Latin Extended-A and B).
    private static let latinFolds: [String] = (0x80...0x24F).map { value in
        Unicode.Scalar(value).map { spelt(foundationFolded(String(Character($0)))) } ?? ""
    }

    /// Letters that folding leaves alone because they are letters of their own rather than a base letter with
    /// a mark, spelt as people write them on a keyboard without them (`Łukasz` as `Lukasz`, `Søren` as `Soren`).
    private static let letterSpellings: [Unicode.Scalar: String] = [
        "ł": "l", "ø": "o", "ı": "i", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
    ]

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// ``emailKey(_:)`` for an address with non-ASCII characters (an internationalised domain).
    private static func unicodeEmailKey(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else {
            return address
        }
        var local = address[..<at]
        var domain = address[address.index(after: at)...]
        if let plus = local.firstIndex(of: "+") {
            local = local[..<plus]
        }
        if domain == "googlemail.com" {
            domain = "gmail.com"
        }
        if domain == "gmail.com" {
            return local.filter { $0 != "." } + "@" + domain
        }
        return local + "@" + domain
    }

    /// The runs of letters (and digits, when asked) of `text`.
    private static func tokens(of text: String, keepingDigits: Bool) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return asciiTokens(of: Array(text.utf8), keepingDigits: keepingDigits)
        }
        var result: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isWordScalar(scalar, keepingDigits: keepingDigits) {
                current.append(scalar)
            } else if !current.isEmpty {
                result.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty {
            result.append(String(current))
        }
        return result
    }

    private static func asciiTokens(of bytes: [UInt8], keepingDigits: Bool) -> [String] {
        var result: [String] = []
        var start = -1
        for index in 0...bytes.count {
            let isWord =
                index < bytes.count
                && (bytes[index] | 32 >= 97 && bytes[index] | 32 <= 122
                    || keepingDigits && bytes[index] >= 48 && bytes[index] <= 57)
            if isWord && start < 0 {
                start = index
            } else if !isWord && start >= 0 {
                result.append(String(decoding: bytes[start..<index], as: UTF8.self))
                start = -1
            }
        }
        return result
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar, keepingDigits: Bool) -> Bool {
        switch scalar.value {
        case 97...122, 65...90:
            return true
        case 48...57:
            return keepingDigits
        case 0..<0x80:
            return false
        default:
            let properties = scalar.properties
            if properties.isAlphabetic {
                return true
            }
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                return true
            case .decimalNumber:
                return keepingDigits
            default:
                return false
            }
        }
    }

    /// `ae`, `oe` and `ue` as `a`, `o` and `u`: the German way of writing umlauts without them, so that
    /// `Mueller` meets the folded `Müller`. Applied to both sides of every comparison, it also turns `Manuel`
    /// into `manul`, which costs nothing.
    private static func transliterated(_ token: String) -> String {
        let e = UInt8(ascii: "e")
        guard token.utf8.count > 1, token.utf8.contains(e) else {
            return token
        }
        var result: [UInt8] = []
        result.reserveCapacity(token.utf8.count)
        for byte in token.utf8 {
            if byte == e, let previous = result.last,
                previous == UInt8(ascii: "a") || previous == UInt8(ascii: "o") || previous == UInt8(ascii: "u")
            {
                continue
            }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static let titles: Set<String> = [
        "dr", "prof", "dipl", "ing", "herr", "frau", "hr", "fr", "mr", "mrs", "ms", "miss", "mme", "mlle", "sir",
    ]

    /// Legal forms and joining words of company names, folded.
    private static let legalForms: Set<String> = [
        "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "ev", "ek", "eg", "se", "co", "gesellschaft",
        "haftungsbeschrankt", "inc", "incorporated", "corp", "corporation", "company", "ltd", "limited", "llc",
        "llp", "plc", "sa", "sarl", "sas", "srl", "spa", "bv", "nv", "ab", "oy", "und", "and", "the",
    ]

    /// Street words and their short forms, longest first; `strasse` is the folded `straße`.
    private static let streetWords: [(String, String)] = [
        ("strasse", "str"), ("street", "st"), ("avenue", "ave"), ("road", "rd"),
    ]
}

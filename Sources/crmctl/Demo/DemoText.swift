/// Text helpers for the demo data: ASCII slugs for email addresses and domains, zero padding.
enum DemoText {
    private static let folds: [Character: String] = [
        "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "à": "a", "á": "a", "â": "a", "ã": "a", "å": "a", "æ": "ae",
        "ç": "c", "č": "c", "ć": "c", "è": "e", "é": "e", "ê": "e", "ë": "e", "ě": "e", "ę": "e", "ì": "i", "í": "i",
        "î": "i", "ï": "i", "ł": "l", "ñ": "n", "ń": "n", "ň": "n", "ò": "o", "ó": "o", "ô": "o", "õ": "o", "ø": "o",
        "ř": "r", "š": "s", "ś": "s", "ù": "u", "ú": "u", "û": "u", "ů": "u", "ý": "y", "ž": "z", "ź": "z", "ż": "z",
        "ą": "a", "ď": "d", "ť": "t",
    ]

    /// Lower-case ASCII letters and digits, other runs of characters as one `-`; apostrophes vanish.
    static func slug(_ text: String) -> String {
        var result = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character == "'" || character == "’" { continue }
            let replacement: String
            if let folded = folds[character] {
                replacement = folded
            } else if character.isASCII, character.isLetter || character.isNumber {
                replacement = String(character)
            } else {
                pendingDash = !result.isEmpty
                continue
            }
            if pendingDash {
                result += "-"
                pendingDash = false
            }
            result += replacement
        }
        return result
    }

    /// `value` in decimal with leading zeros to `width` digits.
    static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
}

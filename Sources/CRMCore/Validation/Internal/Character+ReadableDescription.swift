extension Character {
    /// The character as a person reads it in an error message: printable ones quoted, spaces by name,
    /// invisible ones as `U+XXXX`, so that a stray tab or NUL is visible in the message.
    package var readableDescription: String {
        if self == " " {
            return "spaces"
        }
        let isInvisible = unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: true
            default: false
            }
        }
        guard isInvisible else {
            return "\"\(self)\""
        }
        let codes = unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return codes.joined(separator: " ")
    }
}

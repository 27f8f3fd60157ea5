/// Text made safe for HTML and SVG markup; the one place the report escapes anything.
///
/// The report writes XML-compatible HTML, so the escaped text must be valid in both: the five markup
/// characters become references, and characters that XML 1.0 forbids (C0 controls other than tab and
/// line breaks, C1 controls, U+FFFE, U+FFFF) become U+FFFD, so a stray control character in a
/// customer's name cannot break the document.
enum Markup {
    /// `text` as element content or as a double- or single-quoted attribute value.
    static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if isForbidden(scalar) {
                    result.unicodeScalars.append("\u{FFFD}")
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF: true
        default: false
        }
    }
}

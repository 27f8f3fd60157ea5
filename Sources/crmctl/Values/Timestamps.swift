import SwiftProtobuf

/// Reads and writes times as RFC 3339 text, the form used on the command line and in CSV files.
///
/// Parsing accepts `2025-03-01T09:30:00Z`, `2025-03-01T09:30:00.25+01:00`, `2025-03-01 09:30Z`
/// and a bare date (`2025-03-01`, midnight UTC). Formatting always writes UTC with `Z`, and
/// fractional seconds only when they are not zero (3, 6 or 9 digits), so that the same instant
/// always gives the same text.
enum RFC3339 {
    /// Seconds from 0001-01-01T00:00:00Z to the Unix epoch, the lower bound of a protobuf Timestamp.
    static let minSeconds: Int64 = -62_135_596_800
    /// Seconds to 9999-12-31T23:59:59Z, the upper bound of a protobuf Timestamp.
    static let maxSeconds: Int64 = 253_402_300_799

    /// Parses RFC 3339 text or a `YYYY-MM-DD` date.
    /// - Parameters:
    ///   - text: the text; surrounding spaces are ignored.
    static func parse(_ text: String) throws(ValueError) -> Google_Protobuf_Timestamp {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw ValueError("empty time") }
        var scanner = DigitScanner(trimmed)
        let invalid = ValueError("not an RFC 3339 time or YYYY-MM-DD date: \(trimmed.quotedForError)")

        guard let year = scanner.number(digits: 4), scanner.consume("-"),
            let month = scanner.number(digits: 2), scanner.consume("-"),
            let day = scanner.number(digits: 2)
        else { throw invalid }
        guard year >= 1, (1...12).contains(month) else { throw invalid }
        guard (1...CivilDate.daysInMonth(year: year, month: month)).contains(day) else {
            throw ValueError("no such day: \(trimmed.quotedForError)")
        }
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        if scanner.atEnd {
            return Google_Protobuf_Timestamp(seconds: days * 86_400, nanos: 0)
        }

        guard scanner.consume("T") || scanner.consume("t") || scanner.consume(" ") else { throw invalid }
        guard let hour = scanner.number(digits: 2), scanner.consume(":"),
            let minute = scanner.number(digits: 2)
        else { throw invalid }
        var second: Int64 = 0
        var nanos: Int32 = 0
        if scanner.consume(":") {
            guard let s = scanner.number(digits: 2) else { throw invalid }
            second = s
            if scanner.consume(".") || scanner.consume(",") {
                var digits = 0
                var value: Int32 = 0
                while let d = scanner.digit() {
                    digits += 1
                    guard digits <= 9 else {
                        throw ValueError("more than 9 fractional digits: \(trimmed.quotedForError)")
                    }
                    value = value * 10 + Int32(d)
                }
                guard digits > 0 else { throw invalid }
                for _ in digits..<9 { value *= 10 }
                nanos = value
            }
        }
        guard hour < 24, minute < 60, second < 60 else {
            throw ValueError("time of day out of range: \(trimmed.quotedForError)")
        }

        var offset: Int64 = 0
        if scanner.consume("Z") || scanner.consume("z") {
            offset = 0
        } else if let sign = scanner.sign() {
            guard let oh = scanner.number(digits: 2), scanner.consume(":"), let om = scanner.number(digits: 2),
                oh < 24, om < 60
            else { throw invalid }
            offset = sign * (oh * 3600 + om * 60)
        } else if scanner.atEnd {
            throw ValueError("time without a zone (add Z or an offset like +01:00): \(trimmed.quotedForError)")
        } else {
            throw invalid
        }
        guard scanner.atEnd else { throw invalid }

        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= minSeconds, seconds <= maxSeconds else {
            throw ValueError("outside years 0001–9999: \(trimmed.quotedForError)")
        }
        return Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos)
    }

    /// Parses an optional time: empty text gives `nil`.
    static func parseOptional(_ text: String) throws(ValueError) -> Google_Protobuf_Timestamp? {
        text.trimmingSpaces.isEmpty ? nil : try parse(text)
    }

    /// The canonical text of a time: UTC, `Z`, fractional digits only when needed.
    static func format(_ timestamp: Google_Protobuf_Timestamp) -> String {
        let seconds = timestamp.seconds
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let date = CivilDate(daysSinceEpoch: days)
        var text =
            date.text + "T" + twoDigits(secondOfDay / 3600) + ":" + twoDigits(secondOfDay % 3600 / 60) + ":"
            + twoDigits(secondOfDay % 60)
        if timestamp.nanos > 0 {
            var fraction = String(timestamp.nanos)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.count > 3, fraction.hasSuffix("000") { fraction.removeLast(3) }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// The text of a time that may be unset: empty when it is.
    static func format(_ timestamp: Google_Protobuf_Timestamp, isSet: Bool) -> String {
        isSet ? format(timestamp) : ""
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

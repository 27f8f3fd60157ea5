/// Reads durations written for people: `300`, `300s`, `5m`, `1h30m`, `1h 5m 10s`, `90d`, `2w`.
enum DurationText {
    /// The duration in whole seconds.
    /// - Parameters:
    ///   - text: a number of seconds, or numbers each followed by `w`, `d`, `h`, `m` or `s`.
    static func seconds(_ text: String) throws(ValueError) -> Int64 {
        let trimmed = text.trimmingSpaces.lowercased()
        let invalid = ValueError("not a duration: \(text.quotedForError) (use 300, 300s, 5m, 1h30m or 90d)")
        guard !trimmed.isEmpty else { throw invalid }
        if let plain = Int64(trimmed) {
            guard plain >= 0 else { throw invalid }
            return plain
        }
        var total: Int64 = 0
        var number: Int64? = nil
        var sawUnit = false
        for byte in trimmed.utf8 {
            switch byte {
            case 0x30...0x39:
                let (shifted, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (next, o2) = shifted.addingReportingOverflow(Int64(byte - 0x30))
                guard !o1, !o2 else { throw invalid }
                number = next
            case UInt8(ascii: "w"), UInt8(ascii: "d"), UInt8(ascii: "h"), UInt8(ascii: "m"), UInt8(ascii: "s"):
                guard let value = number else { throw invalid }
                let scale: Int64 =
                    switch byte {
                    case UInt8(ascii: "w"): 604_800
                    case UInt8(ascii: "d"): 86_400
                    case UInt8(ascii: "h"): 3600
                    case UInt8(ascii: "m"): 60
                    default: 1
                    }
                let (part, o1) = value.multipliedReportingOverflow(by: scale)
                let (sum, o2) = total.addingReportingOverflow(part)
                guard !o1, !o2 else { throw invalid }
                total = sum
                number = nil
                sawUnit = true
            case UInt8(ascii: " "):
                continue
            default:
                throw invalid
            }
        }
        guard sawUnit, number == nil else { throw invalid }
        return total
    }
}

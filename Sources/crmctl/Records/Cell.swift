/// Parsers for cells, shared by the CSV schemas.
enum Cell {
    /// A whole number; empty is an error.
    static func integer(_ text: String) throws(ValueError) -> Int64 {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw ValueError("required") }
        guard let value = Int64(trimmed) else { throw ValueError("not a whole number: \(trimmed.quotedForError)") }
        return value
    }

    /// A whole number that fits 32 bits; empty is 0.
    static func optionalInt32(_ text: String) throws(ValueError) -> Int32 {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return 0 }
        guard let value = Int64(trimmed) else { throw ValueError("not a whole number: \(trimmed.quotedForError)") }
        guard let narrow = Int32(exactly: value) else { throw ValueError("out of range: \(trimmed.quotedForError)") }
        return narrow
    }

    /// `;`-separated tags, trimmed, empties dropped.
    static func tags(_ text: String) -> [String] {
        text.split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }
}

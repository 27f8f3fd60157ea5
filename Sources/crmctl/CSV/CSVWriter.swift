/// Writes RFC 4180 CSV: a field is quoted only when it holds a comma, a quote or a line break,
/// and quotes inside it are doubled. Records end with LF (the reader takes CRLF too).
struct CSVWriter {
    /// The CSV written so far.
    private(set) var text = ""

    init() {}

    /// Appends one record.
    mutating func write(_ fields: [String]) {
        if fields.count == 1, fields[0].isEmpty {
            // A lone empty field would be an empty line, which readers skip.
            text += "\"\"\n"
            return
        }
        var first = true
        for field in fields {
            if !first { text += "," }
            first = false
            text += Self.escape(field)
        }
        text += "\n"
    }

    /// The field as it appears in a CSV file.
    static func escape(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        }
        guard needsQuotes else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}

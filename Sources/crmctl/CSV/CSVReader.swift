/// Reads RFC 4180 CSV: fields separated by commas, records by CRLF or LF (or a lone CR);
/// fields in double quotes may hold commas, line breaks and quotes written as `""`.
///
/// A UTF-8 byte order mark at the start is skipped, and so are empty lines between records
/// (an RFC 4180 file has none; spreadsheets often add one at the end). Each record knows the
/// line it starts on, counting line breaks inside quoted fields, so that errors point at the
/// right place in the file.
struct CSVReader: Sequence, IteratorProtocol {
    private let bytes: [UInt8]
    private var position: Int
    private var line = 1
    /// Set when ``next()`` met an error; iteration stops there. Check it after the loop.
    private(set) var error: CSVSyntaxError?

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    init(bytes: [UInt8]) {
        self.bytes = bytes
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    init(text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// Every record of `bytes`, or the first syntax error.
    static func records(in bytes: [UInt8]) throws(CSVSyntaxError) -> [CSVRecord] {
        var reader = CSVReader(bytes: bytes)
        var records: [CSVRecord] = []
        while let record = try reader.nextRecord() {
            records.append(record)
        }
        return records
    }

    static func records(in text: String) throws(CSVSyntaxError) -> [CSVRecord] {
        try records(in: Array(text.utf8))
    }

    mutating func next() -> CSVRecord? {
        guard error == nil else { return nil }
        do {
            return try nextRecord()
        } catch {
            self.error = error
            return nil
        }
    }

    /// The next record, nil at the end of the input.
    mutating func nextRecord() throws(CSVSyntaxError) -> CSVRecord? {
        skipEmptyLines()
        guard position < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        while true {
            fields.append(try readField(recordLine: startLine))
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte == Self.comma {
                position += 1
                continue
            }
            consumeLineBreak()
            break
        }
        return CSVRecord(fields: fields, line: startLine)
    }

    /// Reads one field and stops before the comma or line break that ends it.
    private mutating func readField(recordLine: Int) throws(CSVSyntaxError) -> String {
        var field: [UInt8] = []
        if position < bytes.count, bytes[position] == Self.quote {
            let fieldLine = line
            position += 1
            while true {
                guard position < bytes.count else {
                    throw CSVSyntaxError(line: fieldLine, reason: "quoted field is not closed (a \" is missing)")
                }
                let byte = bytes[position]
                if byte == Self.quote {
                    if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
                        field.append(Self.quote)
                        position += 2
                        continue
                    }
                    position += 1
                    break
                }
                if byte == Self.lf
                    || (byte == Self.cr && !(position + 1 < bytes.count && bytes[position + 1] == Self.lf))
                {
                    line += 1
                }
                field.append(byte)
                position += 1
            }
            if position < bytes.count {
                let byte = bytes[position]
                guard byte == Self.comma || byte == Self.cr || byte == Self.lf else {
                    throw CSVSyntaxError(
                        line: line,
                        reason:
                            "unexpected character after a closing quote (write \"\" for a quote inside a quoted field)"
                    )
                }
            }
        } else {
            while position < bytes.count {
                let byte = bytes[position]
                if byte == Self.comma || byte == Self.cr || byte == Self.lf { break }
                field.append(byte)
                position += 1
            }
        }
        guard let text = String(validating: field, as: UTF8.self) else {
            throw CSVSyntaxError(line: recordLine, reason: "not valid UTF-8")
        }
        return text
    }

    private mutating func consumeLineBreak() {
        guard position < bytes.count else { return }
        if bytes[position] == Self.cr {
            position += 1
            if position < bytes.count, bytes[position] == Self.lf { position += 1 }
            line += 1
        } else if bytes[position] == Self.lf {
            position += 1
            line += 1
        }
    }

    private mutating func skipEmptyLines() {
        while position < bytes.count, bytes[position] == Self.cr || bytes[position] == Self.lf {
            consumeLineBreak()
        }
    }
}

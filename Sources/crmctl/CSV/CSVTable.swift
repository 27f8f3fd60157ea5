/// A CSV file read as a header and data records, with the columns looked up by name.
struct CSVTable: Sendable {
    /// Column names as written in the header, trimmed.
    var columns: [String]
    /// The line of the header.
    var headerLine: Int
    var records: [CSVRecord]
    private var positions: [String: Int]

    /// Reads a whole file; the first record is the header.
    init(bytes: [UInt8]) throws(CSVSyntaxError) {
        var all = try CSVReader.records(in: bytes)
        guard !all.isEmpty else {
            throw CSVSyntaxError(line: 1, reason: "the file is empty (a header line is required)")
        }
        let header = all.removeFirst()
        self.init(header: header, records: all)
    }

    init(text: String) throws(CSVSyntaxError) {
        try self.init(bytes: Array(text.utf8))
    }

    init(header: CSVRecord, records: [CSVRecord]) {
        columns = header.fields.map(\.trimmingSpaces)
        headerLine = header.line
        self.records = records
        var positions: [String: Int] = [:]
        for (index, name) in columns.enumerated() where positions[name] == nil {
            positions[name] = index
        }
        self.positions = positions
    }

    /// Where column `name` is, if the header has it.
    func index(of name: String) -> Int? {
        positions[name]
    }

    /// Columns named more than once, in header order.
    var duplicateColumns: [String] {
        var seen = Set<String>()
        var duplicates: [String] = []
        for name in columns where !seen.insert(name).inserted && !duplicates.contains(name) {
            duplicates.append(name)
        }
        return duplicates
    }
}

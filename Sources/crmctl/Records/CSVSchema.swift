/// How one kind of record is written to and read from CSV: its columns, its rows, its parsing.
///
/// Each kind (customers, orders, payments, interactions) has one schema. Export, `list -o csv`
/// and import all go through it, which is what makes export → import → export give the same
/// bytes.
protocol CSVSchema {
    associatedtype Record: Sendable

    /// The plural noun: `customers`.
    static var noun: String { get }
    /// Columns a file must have to be imported.
    static var requiredColumns: [String] { get }
    /// Columns a file may have; in export order together with the required ones.
    static var columns: [String] { get }

    /// Whether a column outside ``columns`` is still meaningful (`attr.industry` for customers).
    static func acceptsExtraColumn(_ name: String) -> String?

    /// The header to export `records` with.
    static func header(for records: [Record]) -> [String]

    /// The CSV rows of one record under `header`; orders give one row per line item.
    static func rows(for record: Record, header: [String]) -> [[String]]

    /// Turns the data records of a file whose header passed ``headerErrors(_:)`` into records.
    static func decodeRows(of table: CSVTable) -> DecodedFile<Record>
}

extension CSVSchema {
    /// By default no column outside ``columns`` is accepted. Returns why a column is wrong, or
    /// nil when it is fine.
    static func acceptsExtraColumn(_ name: String) -> String? {
        "unknown column"
    }

    static func header(for records: [Record]) -> [String] {
        columns
    }

    /// What is wrong with the header: unknown, duplicate or missing columns.
    static func headerErrors(_ table: CSVTable) -> [RowError] {
        var errors: [RowError] = []
        let known = Set(columns)
        for name in table.columns where !known.contains(name) {
            if let reason = acceptsExtraColumn(name) {
                errors.append(
                    RowError(
                        line: table.headerLine,
                        column: name.isEmpty ? "(empty)" : name,
                        reason: "\(reason) in a \(noun) file (columns: \(columns.joined(separator: ", ")))"
                    )
                )
            }
        }
        for name in table.duplicateColumns {
            errors.append(RowError(line: table.headerLine, column: name, reason: "column appears more than once"))
        }
        for name in requiredColumns where table.index(of: name) == nil {
            errors.append(RowError(line: table.headerLine, column: name, reason: "required column is missing"))
        }
        return errors
    }

    /// Checks the header, then reads every row; nothing is dropped silently.
    static func decode(_ table: CSVTable) -> DecodedFile<Record> {
        let errors = headerErrors(table)
        guard errors.isEmpty else {
            return DecodedFile(errors: errors)
        }
        return decodeRows(of: table)
    }

    /// An error for a record whose number of fields differs from the header's, or nil.
    static func fieldCountError(_ record: CSVRecord, in table: CSVTable) -> RowError? {
        guard record.fields.count != table.columns.count else { return nil }
        return RowError(
            line: record.line,
            reason: "expected \(table.columns.count) fields as in the header, found \(record.fields.count)"
        )
    }

    /// `records` as a whole CSV file, header included.
    static func csv(for records: [Record]) -> String {
        let header = header(for: records)
        var writer = CSVWriter()
        writer.write(header)
        for record in records {
            for row in rows(for: record, header: header) {
                writer.write(row)
            }
        }
        return writer.text
    }
}

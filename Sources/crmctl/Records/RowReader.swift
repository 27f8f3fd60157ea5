/// Reads the cells of one CSV record by column name and collects what cannot be parsed.
struct RowReader {
    let record: CSVRecord
    let table: CSVTable
    private(set) var errors: [RowError] = []

    init(record: CSVRecord, table: CSVTable) {
        self.record = record
        self.table = table
    }

    var line: Int { record.line }

    /// The cell as written; empty when the file has no such column.
    func text(_ column: String) -> String {
        guard let index = table.index(of: column), index < record.fields.count else { return "" }
        return record.fields[index]
    }

    /// The cell parsed by `parse`, or nil (and an error noted) when it cannot be.
    mutating func value<T>(_ column: String, _ parse: (String) throws(ValueError) -> T) -> T? {
        do {
            return try parse(text(column))
        } catch {
            errors.append(RowError(line: line, column: column, reason: error.reason))
            return nil
        }
    }

    /// Notes an error that is not about one cell's syntax.
    mutating func fail(_ column: String?, _ reason: String) {
        errors.append(RowError(line: line, column: column, reason: reason))
    }
}

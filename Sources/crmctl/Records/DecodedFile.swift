/// Records read from a CSV file, the lines each came from, and what could not be read.
struct DecodedFile<Record: Sendable>: Sendable {
    var records: [Record] = []
    /// For each record, the lines of its rows; the first is where it starts. Orders have one
    /// line per line item, every other kind one line.
    var lines: [[Int]] = []
    var errors: [RowError] = []
    /// Data rows read (for orders more than records).
    var rowCount = 0
}

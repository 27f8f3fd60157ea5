/// A table for a terminal: columns padded to their widest cell and separated by two spaces.
///
/// Widths are counted in characters (grapheme clusters), so the columns line up in a monospaced font
/// as long as the text has no double-width characters. Control characters in cells become spaces,
/// so a line break inside a name cannot break a row.
struct TextTable {
    enum Alignment {
        case left
        case right
    }

    struct Column {
        var header: String
        var alignment: Alignment
        /// Longer cells are cut with an ellipsis.
        var maxWidth: Int

        init(_ header: String, _ alignment: Alignment = .left, maxWidth: Int = 40) {
            self.header = header
            self.alignment = alignment
            self.maxWidth = maxWidth
        }
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(columns: [Column]) {
        self.columns = columns
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The header line and one line per row, each ending in a line break, with no trailing spaces.
    func rendered() -> String {
        let header = columns.map(\.header)
        let cells = rows.map { row in
            columns.indices.map { index in
                let cell = index < row.count ? Self.sanitized(row[index]) : ""
                return ReportFormat.shortened(cell, to: columns[index].maxWidth)
            }
        }
        let widths = columns.indices.map { index in
            cells.reduce(header[index].count) { max($0, $1[index].count) }
        }
        return ([header] + cells).map { line(of: $0, widths: widths) }.joined()
    }

    private func line(of cells: [String], widths: [Int]) -> String {
        var parts: [String] = []
        for (index, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: widths[index] - cell.count)
            parts.append(columns[index].alignment == .left ? cell + padding : padding + cell)
        }
        var text = parts.joined(separator: "  ")
        while text.hasSuffix(" ") { text.removeLast() }
        return text + "\n"
    }

    private static func sanitized(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }
            )
        )
    }
}

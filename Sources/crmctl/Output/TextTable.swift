/// Rows of text in aligned columns, each capped at a width, for people at a terminal.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// No column is wider than this; longer cells end in `…`.
    var maxColumnWidth = 40

    init(headers: [String], rows: [[String]] = [], maxColumnWidth: Int = 40) {
        self.headers = headers
        self.rows = rows
        self.maxColumnWidth = maxColumnWidth
    }

    /// The table, one line per row under a header line, columns separated by two spaces.
    func render() -> String {
        let cleanRows = rows.map { row in row.map(Self.singleLine) }
        var widths = headers.map(DisplayWidth.of)
        for row in cleanRows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }
        widths = widths.map { min($0, maxColumnWidth) }
        var lines: [String] = []
        for row in [headers] + cleanRows {
            var cells: [String] = []
            for (index, width) in widths.enumerated() {
                let cell = DisplayWidth.truncate(index < row.count ? row[index] : "", to: width)
                cells.append(index == widths.count - 1 ? cell : DisplayWidth.pad(cell, to: width))
            }
            lines.append(cells.joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Fields of one object as `name  value` lines; values may be longer than in a list.
    static func details(_ fields: [(String, String)]) -> String {
        TextTable(headers: ["FIELD", "VALUE"], rows: fields.map { [$0.0, $0.1] }, maxColumnWidth: 100)
            .renderWithoutHeader()
    }

    private func renderWithoutHeader() -> String {
        let lines = render().split(separator: "\n", omittingEmptySubsequences: false)
        return lines.dropFirst().joined(separator: "\n")
    }

    /// The rows without the header line (`--no-headers`), columns aligned as in ``render()``.
    func renderRows() -> String {
        rows.isEmpty ? "" : renderWithoutHeader()
    }

    /// Line breaks and tabs shown as spaces so a cell stays on one line.
    static func singleLine(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" }) else { return text }
        return String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" ? " " : $0 })
    }
}

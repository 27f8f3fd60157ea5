/// The confusion matrix as an SVG heat map: one square per (true, predicted) pair, darker for more
/// test rows, with the count written in it.
struct ConfusionMatrixChart {
    var classNames: [String]
    /// Row: true class; column: predicted class.
    var matrix: [[Int]]
    /// Unique in the document; prefixes the ids the accessible title and description use.
    var id: String

    /// Classes drawn: the class names, or more when the matrix is larger than the list of names.
    var size: Int {
        max(classNames.count, matrix.count, matrix.map(\.count).max() ?? 0)
    }

    func count(row: Int, column: Int) -> Int {
        row < matrix.count && column < matrix[row].count ? matrix[row][column] : 0
    }

    func name(_ index: Int) -> String {
        index < classNames.count ? classNames[index] : "class \(index + 1)"
    }

    /// The `<svg>` element.
    func svg() -> String {
        let n = size
        let labels = (0..<n).map { ReportFormat.shortened(name($0), to: 22) }
        let cell: Double = n <= 4 ? 72 : n <= 8 ? 56 : n <= 14 ? 40 : 28
        let fontSize = cell >= 40 ? 13 : 10
        let labelWidth = Double(labels.map(\.count).max() ?? 0) * 7 + 12
        let left = 28 + labelWidth
        let top = 12.0
        let grid = cell * Double(n)
        let legendX = left + grid + 28
        let legendHeight = min(max(grid, 60), 180)
        let width = legendX + 16 + 64
        let height = top + grid + labelWidth * 0.72 + 44
        let largest = matrix.joined().max() ?? 0
        let total = matrix.joined().reduce(0, +)
        let c = ReportFormat.coordinate

        var svg = """
            <svg class="chart" role="img" \
            aria-labelledby="\(id)-title \(id)-desc" width="\(c(width))" height="\(c(height))" \
            viewBox="0 0 \(c(width)) \(c(height))">
            <title id="\(id)-title">Confusion matrix: true class against predicted class</title>
            <desc id="\(id)-desc">\(Markup.escaped(summary(total: total)))</desc>

            """
        svg += "<g class=\"cells\" font-size=\"\(fontSize)\" text-anchor=\"middle\">\n"
        for row in 0..<n {
            let rowTotal = (0..<n).reduce(0) { $0 + count(row: row, column: $1) }
            for column in 0..<n {
                let value = count(row: row, column: column)
                let share = largest > 0 ? Double(value) / Double(largest) : 0
                let x = left + cell * Double(column)
                let y = top + cell * Double(row)
                let rowShare = rowTotal > 0 ? " (\(ReportFormat.percent(Double(value) / Double(rowTotal))))" : ""
                let tooltip = "True \(name(row)), predicted \(name(column)): \(value) of \(rowTotal)\(rowShare)"
                svg += """
                    <g><title>\(Markup.escaped(tooltip))</title>\
                    <rect class="cell" data-true="\(row)" data-predicted="\(column)" data-count="\(value)" \
                    x="\(c(x))" y="\(c(y))" width="\(c(cell))" height="\(c(cell))" fill="\(Self.colour(share))" \
                    stroke="#ffffff"/>\
                    <text x="\(c(x + cell / 2))" y="\(c(y + cell / 2))" dy="0.35em" \
                    fill="\(share > 0.55 ? "#ffffff" : "#1d232a")"\(row == column ? " font-weight=\"bold\"" : "")>\
                    \(value)</text></g>

                    """
            }
        }
        svg += "</g>\n<g class=\"labels\" font-size=\"12\" fill=\"#1d232a\">\n"
        for index in 0..<n {
            let y = top + cell * (Double(index) + 0.5)
            svg += """
                <text x="\(c(left - 8))" y="\(c(y))" dy="0.35em" text-anchor="end">\
                <title>\(Markup.escaped(name(index)))</title>\(Markup.escaped(labels[index]))</text>

                """
        }
        for index in 0..<n {
            let x = left + cell * (Double(index) + 0.5)
            let y = top + grid + 10
            svg += """
                <text x="\(c(x))" y="\(c(y))" dy="0.35em" text-anchor="end" \
                transform="rotate(-45 \(c(x)) \(c(y)))"><title>\(Markup.escaped(name(index)))</title>\
                \(Markup.escaped(labels[index]))</text>

                """
        }
        svg += """
            <text class="axis" x="\(c(left + grid / 2))" y="\(c(height - 8))" text-anchor="middle" \
            font-weight="bold">Predicted class</text>
            <text class="axis" x="14" y="\(c(top + grid / 2))" text-anchor="middle" font-weight="bold" \
            transform="rotate(-90 14 \(c(top + grid / 2)))">True class</text>
            </g>

            """
        svg += legend(x: legendX, y: top, height: legendHeight, largest: largest)
        svg += "</svg>"
        return svg
    }

    /// A stepped colour scale from no test rows (bottom) to the largest count (top).
    private func legend(x: Double, y: Double, height: Double, largest: Int) -> String {
        let c = ReportFormat.coordinate
        let steps = 6
        let step = height / Double(steps)
        var svg = "<g class=\"legend\" font-size=\"11\" fill=\"#1d232a\">\n"
        for index in 0..<steps {
            let share = Double(steps - 1 - index) / Double(steps - 1)
            svg += """
                <rect x="\(c(x))" y="\(c(y + step * Double(index)))" width="16" height="\(c(step))" \
                fill="\(Self.colour(share))" stroke="#d5dbe1" stroke-width="0.5"/>

                """
        }
        svg += """
            <text x="\(c(x + 22))" y="\(c(y))" dy="0.8em">\(largest)</text>
            <text x="\(c(x + 22))" y="\(c(y + height))">0</text>
            <text x="\(c(x))" y="\(c(y + height + 16))">test rows</text>
            </g>

            """
        return svg
    }

    private func summary(total: Int) -> String {
        let correct = (0..<size).reduce(0) { $0 + count(row: $1, column: $1) }
        let classes = (0..<size).map(name).joined(separator: ", ")
        return "\(ReportFormat.counted(total, "test row", "test rows")), \(correct) predicted right, "
            + "over the classes \(classes)."
    }

    /// From near white (no rows) to dark blue (the largest count), for `share` in 0…1.
    static func colour(_ share: Double) -> String {
        let t = share.isFinite ? min(max(share, 0), 1) : 0
        let low = (247.0, 251.0, 255.0)
        let high = (8.0, 69.0, 148.0)
        let channels = [
            low.0 + (high.0 - low.0) * t, low.1 + (high.1 - low.1) * t, low.2 + (high.2 - low.2) * t,
        ]
        return "#" + channels.map { hex(Int($0.rounded())) }.joined()
    }

    private static func hex(_ value: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[value / 16], digits[value % 16]])
    }
}

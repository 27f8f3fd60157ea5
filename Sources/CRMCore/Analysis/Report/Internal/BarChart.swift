/// Horizontal bars as SVG, one per labelled value, each as long as its value relative to the largest.
struct BarChart {
    struct Bar {
        var label: String
        var value: Double
        /// Written after the bar, e.g. `0.231` or `120 (40.0%)`.
        var valueText: String
    }

    /// Unique in the document; prefixes the ids the accessible title and description use.
    var id: String
    var title: String
    var description: String
    /// Drawn top to bottom, in this order.
    var bars: [Bar]
    var colour: String

    /// The length of the longest bar.
    static let barArea = 420.0

    /// The length of `value`'s bar: proportional to it, the largest value filling ``barArea``.
    /// Negative values get no bar.
    func length(of value: Double) -> Double {
        let largest = bars.map(\.value).filter(\.isFinite).max() ?? 0
        guard largest > 0, value.isFinite, value > 0 else { return 0 }
        return value / largest * Self.barArea
    }

    /// The `<svg>` element.
    func svg() -> String {
        let c = ReportFormat.coordinate
        let labels = bars.map { ReportFormat.shortened($0.label, to: 30) }
        let labelWidth = Double(labels.map(\.count).max() ?? 0) * 7 + 16
        let valueWidth = Double(bars.map(\.valueText.count).max() ?? 0) * 7 + 16
        let rowHeight = 24.0
        let barHeight = 16.0
        let top = 4.0
        let width = labelWidth + Self.barArea + valueWidth
        let height = top * 2 + rowHeight * Double(bars.count)

        var svg = """
            <svg class="chart" role="img" aria-labelledby="\(id)-title \(id)-desc" \
            width="\(c(width))" height="\(c(height))" viewBox="0 0 \(c(width)) \(c(height))">
            <title id="\(id)-title">\(Markup.escaped(title))</title>
            <desc id="\(id)-desc">\(Markup.escaped(description))</desc>
            <g font-size="12" fill="#1d232a">

            """
        for (index, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(index)
            let middle = y + rowHeight / 2
            let length = length(of: bar.value)
            svg += """
                <g><title>\(Markup.escaped(bar.label)): \(Markup.escaped(bar.valueText))</title>\
                <text x="\(c(labelWidth - 8))" y="\(c(middle))" dy="0.35em" text-anchor="end">\
                \(Markup.escaped(labels[index]))</text>\
                <rect class="bar" data-label="\(Markup.escaped(bar.label))" \
                data-value="\(Markup.escaped(ReportFormat.value(bar.value)))" x="\(c(labelWidth))" \
                y="\(c(middle - barHeight / 2))" width="\(c(length))" height="\(c(barHeight))" \
                fill="\(colour)"/>\
                <text x="\(c(labelWidth + length + 6))" y="\(c(middle))" dy="0.35em">\
                \(Markup.escaped(bar.valueText))</text></g>

                """
        }
        svg += """
            <line x1="\(c(labelWidth))" y1="\(c(top))" x2="\(c(labelWidth))" y2="\(c(height - top))" \
            stroke="#8a949e" stroke-width="1"/>
            </g>
            </svg>
            """
        return svg
    }
}

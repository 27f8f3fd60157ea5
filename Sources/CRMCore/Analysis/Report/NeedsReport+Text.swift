extension NeedsReport {
    /// The report as plain text for a terminal: a few header lines, the segments, then the customers,
    /// each as a table with aligned columns.
    ///
    /// The customers table has the customer, their name, segment, predicted class, confidence as a
    /// percentage and their three strongest drivers. Long cells are cut with an ellipsis and control
    /// characters become spaces, so every row stays on one line.
    ///
    /// - Parameters:
    ///   - limit: Customers listed at most, in the report's order; a line says when the list is cut.
    public func text(limit: Int) -> String {
        var text = "\(Self.oneLine(title))\n"
        var modelLine =
            "Model \(model.name) (\(model.algorithm), target \(model.target), version \(model.version)), "
            + "trained \(ReportFormat.date(model.trainTime))"
        if let cutoff = model.cutoff { modelLine += ", cut-off \(ReportFormat.date(cutoff))" }
        if let horizon = model.horizon { modelLine += ", horizon \(ReportFormat.duration(horizon))" }
        text += Self.oneLine(modelLine) + "\n"
        text += "Test accuracy \(ReportFormat.percent(evaluation.accuracy)) "
        text += "(baseline \(ReportFormat.percent(evaluation.baselineAccuracy))), "
        text += "macro-F1 \(ReportFormat.fixed(evaluation.macroF1, digits: 3)); "
        text += "\(ReportFormat.counted(customerCount, "customer", "customers")) scored\n"
        text += "Generated \(ReportFormat.date(generateTime))\n"

        text += "\nSegments\n"
        if segments.isEmpty {
            text += "(none)\n"
        } else {
            var table = TextTable(columns: [
                .init("SEGMENT", maxWidth: 30), .init("CUSTOMERS", .right), .init("MOST PREDICTED", maxWidth: 48),
                .init("MEAN CONFIDENCE", .right), .init("TOP DRIVERS", maxWidth: 60),
            ])
            for segment in segments {
                let predicted = Self.ranked(segment.predicted).prefix(3)
                    .map { "\($0.className) (\(ReportFormat.count($0.count)))" }
                    .joined(separator: ", ")
                table.append([
                    segment.name, ReportFormat.count(segment.customerCount), predicted,
                    ReportFormat.percent(segment.meanConfidence), segment.topDrivers.prefix(3).joined(separator: ", "),
                ])
            }
            text += table.rendered()
        }

        let shown = customers.prefix(max(0, limit))
        text += "\nCustomers"
        if shown.count < customerCount {
            text += " (the first \(ReportFormat.count(shown.count)) of \(ReportFormat.count(customerCount)))"
        }
        text += "\n"
        if shown.isEmpty {
            text += "(none)\n"
        } else {
            var table = TextTable(columns: [
                .init("CUSTOMER", maxWidth: 24), .init("NAME", maxWidth: 30), .init("SEGMENT", maxWidth: 20),
                .init("PREDICTED", maxWidth: 24), .init("CONFIDENCE", .right), .init("DRIVERS", maxWidth: 60),
            ])
            for need in shown {
                table.append([
                    need.customer, need.displayName, need.segment, need.predictedClass,
                    ReportFormat.percent(need.confidence),
                    need.drivers.prefix(3).map(\.feature).joined(separator: ", "),
                ])
            }
            text += table.rendered()
        }
        return text
    }

    /// `text` with control characters (line breaks above all) as spaces.
    private static func oneLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }
            )
        )
    }
}

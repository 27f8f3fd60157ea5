extension NeedsReport {
    /// How many customers ``html(customerLimit:)`` lists unless told otherwise.
    public static let defaultHTMLCustomerLimit = 200

    /// How many features the importance chart shows, the most important first.
    public static let chartedFeatureLimit = 15

    /// The report as one self-contained HTML5 document, to save as a file and open in any browser.
    ///
    /// Nothing is fetched: the styles are inline and the charts (confusion-matrix heat map, feature
    /// importances, predicted classes) are inline SVG, each with an accessible title. The document is
    /// also well-formed XML, and every piece of text from the report is escaped, so names holding `<`,
    /// `&` or quotes show as written. The output depends on the report only.
    ///
    /// - Parameters:
    ///   - customerLimit: Customers listed at most, in the report's order; a note says when the list is
    ///     cut.
    public func html(customerLimit: Int = NeedsReport.defaultHTMLCustomerLimit) -> String {
        var document = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <meta name="generator" content="crmd"/>
            <title>\(Markup.escaped(title))</title>
            <style>
            \(Self.styleSheet)
            </style>
            </head>
            <body>

            """
        document += headerSection()
        document += "<main>\n"
        document += customersSection(limit: max(0, customerLimit))
        document += evaluationSection()
        document += importanceSection()
        document += distributionSection()
        document += segmentsSection()
        document += "</main>\n"
        document += """
            <footer><p class="muted">Generated \(ReportFormat.date(generateTime)) by crmd from \
            \(Markup.escaped(model.name)).</p></footer>
            </body>
            </html>

            """
        return document
    }

    // MARK: - Sections

    private func headerSection() -> String {
        var facts: [(String, String)] = [
            ("Model", model.name),
            ("Algorithm", model.algorithm),
            ("Target", model.target),
            ("Version", String(model.version)),
            ("Trained", ReportFormat.date(model.trainTime)),
        ]
        if let cutoff = model.cutoff { facts.append(("Cut-off", ReportFormat.date(cutoff))) }
        if let horizon = model.horizon { facts.append(("Horizon", ReportFormat.duration(horizon))) }
        if let scoredTime { facts.append(("Scored", ReportFormat.date(scoredTime))) }
        if let asOf { facts.append(("Scores as of", ReportFormat.date(asOf))) }
        if let dataEndTime { facts.append(("Data up to", ReportFormat.date(dataEndTime))) }
        facts += [
            ("Customers scored", ReportFormat.count(customerCount)),
            ("Test accuracy", ReportFormat.percent(evaluation.accuracy)),
            ("Baseline accuracy", ReportFormat.percent(evaluation.baselineAccuracy)),
            ("Macro-F1", ReportFormat.fixed(evaluation.macroF1, digits: 3)),
            ("Generated", ReportFormat.date(generateTime)),
        ]
        var html = """
            <header>
            <h1>\(Markup.escaped(title))</h1>
            <p class="lead">What each customer is predicted to need next (\(Markup.escaped(model.target))), \
            how sure the model is, and the features that drive the prediction.</p>
            <dl class="facts">

            """
        for (term, value) in facts {
            html += "<div><dt>\(Markup.escaped(term))</dt><dd>\(Markup.escaped(value))</dd></div>\n"
        }
        html += "</dl>\n</header>\n"
        return html
    }

    private func evaluationSection() -> String {
        let chart = ConfusionMatrixChart(
            classNames: evaluation.classNames,
            matrix: evaluation.confusionMatrix,
            id: "confusion"
        )
        var html = """
            <section id="evaluation">
            <h2>How well the model predicts</h2>
            <p>\(Markup.escaped(accuracySentence()))</p>

            """
        if chart.size == 0 || evaluation.testRows == 0 {
            html += "<p class=\"muted\">The evaluation holds no test rows.</p>\n"
        } else {
            html += """
                <figure>
                \(chart.svg())
                <figcaption>Held-out test rows by true class (rows) and predicted class (columns); the \
                diagonal is right. Darker cells hold more rows.</figcaption>
                </figure>

                """
        }
        html += "</section>\n"
        return html
    }

    private func accuracySentence() -> String {
        let accuracy = ReportFormat.percent(evaluation.accuracy)
        let baseline = ReportFormat.percent(evaluation.baselineAccuracy)
        let always = evaluation.baselineClass.isEmpty ? "the most frequent class" : "“\(evaluation.baselineClass)”"
        let rows = ReportFormat.counted(evaluation.testRows, "test row", "test rows")
        var sentence =
            "The model is right on \(accuracy) of \(rows), "
            + "against \(baseline) for always predicting \(always); macro-F1 is "
            + "\(ReportFormat.fixed(evaluation.macroF1, digits: 3))."
        if !(evaluation.accuracy > evaluation.baselineAccuracy) {
            sentence += " It does not beat the baseline: treat its predictions with care."
        }
        return sentence
    }

    private func importanceSection() -> String {
        let ranked = rankedImportances()
        let shown = Array(ranked.prefix(Self.chartedFeatureLimit))
        let method =
            switch evaluation.importanceMethod {
            case .model: "the model’s own importances"
            case .permutation: "permutation importances on the test rows"
            }
        var html = """
            <section id="drivers">
            <h2>What drives the predictions</h2>

            """
        if shown.isEmpty {
            html += "<p class=\"muted\">The model reports no feature importances.</p>\n"
        } else {
            let chart = BarChart(
                id: "importance",
                title: "Feature importance",
                description: "The \(shown.count) most important of \(ranked.count) features, by \(method).",
                bars: shown.map {
                    BarChart.Bar(
                        label: $0.feature,
                        value: $0.importance,
                        valueText: ReportFormat.fixed($0.importance, digits: 3)
                    )
                },
                colour: "#c0562b"
            )
            let cut = ranked.count > shown.count ? "The top \(shown.count) of \(ranked.count) features" : "Features"
            html += """
                <figure>
                \(chart.svg())
                <figcaption>\(cut), by \(Markup.escaped(method)).</figcaption>
                </figure>

                """
        }
        html += "</section>\n"
        return html
    }

    /// The importances, the largest first; ties keep the caller's order.
    func rankedImportances() -> [FeatureImportance] {
        evaluation.featureImportances.enumerated()
            .sorted { lhs, rhs in
                let left = lhs.element.importance.isFinite ? lhs.element.importance : -.infinity
                let right = rhs.element.importance.isFinite ? rhs.element.importance : -.infinity
                return left != right ? left > right : lhs.offset < rhs.offset
            }
            .map(\.element)
    }

    private func distributionSection() -> String {
        let ranked = Self.ranked(classDistribution)
        let total = ranked.reduce(0) { $0 + $1.count }
        var html = """
            <section id="distribution">
            <h2>Predicted needs</h2>

            """
        if ranked.isEmpty {
            html += "<p class=\"muted\">No customers were scored.</p>\n"
        } else {
            let chart = BarChart(
                id: "distribution",
                title: "Customers by predicted class",
                description: "\(ReportFormat.counted(total, "customer", "customers")) over "
                    + "\(ReportFormat.counted(ranked.count, "class", "classes")).",
                bars: ranked.map {
                    BarChart.Bar(
                        label: $0.className,
                        value: Double($0.count),
                        valueText: "\(ReportFormat.count($0.count)) (\(Self.share($0.count, of: total)))"
                    )
                },
                colour: "#2f6f9f"
            )
            html += """
                <figure>
                \(chart.svg())
                <figcaption>What the scored customers are predicted to need next, the most frequent \
                first.</figcaption>
                </figure>

                """
        }
        html += "</section>\n"
        return html
    }

    private func segmentsSection() -> String {
        var html = """
            <section id="segments">
            <h2>Segments</h2>

            """
        guard !segments.isEmpty else {
            return html + "<p class=\"muted\">No segments.</p>\n</section>\n"
        }
        html += """
            <table>
            <thead><tr><th scope="col">Segment</th><th scope="col" class="num">Customers</th>\
            <th scope="col">Most predicted</th><th scope="col" class="num">Mean confidence</th>\
            <th scope="col">Top drivers</th></tr></thead>
            <tbody>

            """
        for segment in segments {
            let ranked = Self.ranked(segment.predicted)
            let predicted = ranked.prefix(3)
                .map {
                    "\(Markup.escaped($0.className)) <span class=\"muted\">\(ReportFormat.count($0.count)) "
                        + "(\(Self.share($0.count, of: segment.customerCount)))</span>"
                }
                .joined(separator: "<br/>")
            let more = ranked.count > 3 ? "<br/><span class=\"muted\">+\(ranked.count - 3) more</span>" : ""
            let drivers = segment.topDrivers.map { "<code>\(Markup.escaped($0))</code>" }.joined(separator: ", ")
            html += """
                <tr><th scope="row">\(Markup.escaped(segment.name))</th>\
                <td class="num">\(ReportFormat.count(segment.customerCount))</td>\
                <td>\(predicted)\(more)</td>\
                <td class="num">\(ReportFormat.percent(segment.meanConfidence))</td>\
                <td>\(drivers)</td></tr>

                """
        }
        html += "</tbody>\n</table>\n</section>\n"
        return html
    }

    /// Who to contact first: the customers in the report's order (the most worth acting on first), with
    /// how to reach them, what they need, how likely, what it is worth and why, in words.
    private func customersSection(limit: Int) -> String {
        let shown = customers.prefix(limit)
        var html = """
            <section id="customers">
            <h2>Who to contact first</h2>
            <p class="lead">Ranked by what acting is worth: the chance of the predicted need times what the \
            customer usually spends on it\(dataEndTime.map { "; data up to \(ReportFormat.date($0))" } ?? "").</p>

            """
        if omittedCount > 0 {
            html += """
                <p class="note">\(ReportFormat.counted(omittedCount, "customer", "customers")) predicted to need \
                nothing or churned \(omittedCount == 1 ? "is" : "are") left out \
                (<code>crmctl analysis report --include-none</code> lists them).</p>

                """
        }
        let listed = customerCount - omittedCount
        if shown.count < listed {
            html += """
                <p class="note">Showing the first \(ReportFormat.count(shown.count)) of \
                \(ReportFormat.counted(listed, "customer", "customers")).</p>

                """
        }
        guard !shown.isEmpty else {
            return html + "<p class=\"muted\">No customers to list.</p>\n</section>\n"
        }
        html += """
            <table>
            <thead><tr><th scope="col" class="num">#</th><th scope="col">Customer</th>\
            <th scope="col">Contact</th><th scope="col">Needs next</th>\
            <th scope="col" class="num">Chance</th><th scope="col" class="num">Worth</th>\
            <th scope="col">Runner-up</th><th scope="col">Why</th></tr></thead>
            <tbody>

            """
        for (index, need) in shown.enumerated() {
            let who = [need.company, need.segment].filter { !$0.isEmpty }.map { Markup.escaped($0) }.joined(
                separator: " · "
            )
            let contact = [need.email, need.phone].filter { !$0.isEmpty }.map { Markup.escaped($0) }.joined(
                separator: "<br/>"
            )
            let worth =
                need.expectedValue.map {
                    "\(ReportFormat.fixed($0, digits: 2))\(need.valueCurrency.isEmpty ? "" : " " + Markup.escaped(need.valueCurrency))"
                } ?? ""
            html += """
                <tr><td class="num">\(index + 1)</td>\
                <td><strong>\(Markup.escaped(need.displayName))</strong><br/><span class="muted">\
                \(who.isEmpty ? "" : who + "<br/>")\(Markup.escaped(need.customer))</span></td>\
                <td>\(contact)</td>\
                <td><strong>\(Markup.escaped(need.predictedClass))</strong></td>\
                <td class="num">\(ReportFormat.percent(need.confidence))\(Self.meter(need.confidence))</td>\
                <td class="num">\(worth)</td>\
                <td>\(Self.runnerUp(of: need))</td>\
                <td>\(Self.drivers(of: need))</td></tr>

                """
        }
        html += "</tbody>\n</table>\n</section>\n"
        return html
    }

    // MARK: - Cells

    /// A small bar under a confidence, `fraction` of its width filled.
    private static func meter(_ fraction: Double) -> String {
        let width = fraction.isFinite ? min(max(fraction, 0), 1) * 100 : 0
        return "<span class=\"meter\"><span style=\"width:\(ReportFormat.coordinate(width))%\"></span></span>"
    }

    /// The most probable class other than the predicted one.
    private static func runnerUp(of need: CustomerNeed) -> String {
        let others = need.probabilities.filter { $0.className != need.predictedClass && $0.probability.isFinite }
        guard let best = others.max(by: { $0.probability < $1.probability }) else { return "" }
        return
            "\(Markup.escaped(best.className)) <span class=\"muted\">\(ReportFormat.percent(best.probability))</span>"
    }

    /// The three strongest drivers in words, each with its feature name as a tooltip.
    private static func drivers(of need: CustomerNeed) -> String {
        need.drivers.prefix(3)
            .map { driver in
                let words = DriverText.describe(feature: driver.feature, value: driver.value)
                return "<span title=\"\(Markup.escaped(driver.feature))\">\(Markup.escaped(words))</span>"
            }
            .joined(separator: "<br/>")
    }

    /// The counts, the largest first; ties keep the caller's order.
    static func ranked(_ counts: [ClassCount]) -> [ClassCount] {
        counts.enumerated()
            .sorted {
                $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset
            }
            .map(\.element)
    }

    private static func share(_ count: Int, of total: Int) -> String {
        total > 0 ? ReportFormat.percent(Double(count) / Double(total)) : ReportFormat.missing
    }

    /// No `<` or `&` in here: the document must stay well-formed XML.
    private static let styleSheet = """
        :root { color-scheme: light; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
          color: #1d232a; background: #ffffff; max-width: 1120px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 1.6em; margin: 0 0 4px; }
        h2 { font-size: 1.2em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d5dbe1; }
        .lead { margin: 0 0 12px; color: #3d4750; }
        .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 8px 24px;
          margin: 16px 0; }
        .facts dt { font-size: 0.78em; color: #5a6570; text-transform: uppercase; letter-spacing: 0.04em; }
        .facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
        figure { margin: 16px 0; break-inside: avoid; }
        figcaption { color: #5a6570; font-size: 0.9em; margin-top: 4px; }
        svg.chart { max-width: 100%; height: auto; font-family: inherit; }
        table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e7eb; vertical-align: top; }
        thead th { background: #f3f5f7; }
        tbody th { font-weight: 600; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .muted { color: #5a6570; }
        .note { background: #fff8e1; border-left: 3px solid #e0a800; padding: 6px 10px; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
        .meter { display: block; width: 64px; height: 6px; margin: 3px 0 0 auto; background: #e3e7eb; }
        .meter span { display: block; height: 100%; background: #2f6f9f; }
        @media print {
          body { max-width: none; padding: 0; font-size: 11px; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          h2 { break-after: avoid; }
          thead { display: table-header-group; }
          tr { break-inside: avoid; }
        }
        """
}

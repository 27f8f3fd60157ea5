import CRMCore
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("NeedsReport")
struct NeedsReportTests {
    // MARK: - HTML

    @Test("the whole HTML document parses as XML, each chart with an accessible title")
    func htmlIsWellFormed() throws {
        let report = Self.report(classNames: Self.hostileClasses)
        let root = try XMLTree.parse(report.html())
        #expect(root.name == "html")
        let charts = root.descendants(named: "svg")
        #expect(charts.count == 3)
        for chart in charts {
            let title = try #require(chart.children.first { $0.name == "title" })
            #expect(!title.allText.isEmpty)
            #expect(chart.attributes["role"] == "img")
            let ids = try #require(chart.attributes["aria-labelledby"]).split(separator: " ").map(String.init)
            for id in ids {
                #expect(root.descendants { $0.attributes["id"] == id }.count == 1, "no element with id \(id)")
            }
        }
    }

    @Test("names holding markup are escaped everywhere and read back as written")
    func hostileNamesAreEscaped() throws {
        let report = Self.report(classNames: Self.hostileClasses)
        let html = report.html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("\u{1}"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))

        let root = try XMLTree.parse(html)
        let names = Set(root.descendants { _ in true }.map(\.name))
        #expect(names.isDisjoint(with: ["script", "img", "b", "iframe"]))
        // The parser gives back exactly the names the report holds.
        let labels = root.descendants { $0.attributes["class"] == "bar" }.compactMap { $0.attributes["data-label"] }
        #expect(labels.contains("<script>alert(1)</script>"))
        #expect(labels.contains(#"a<b & "c" 'd'"#))
        #expect(root.allText.contains("<img src=x onerror=alert(1)>\u{FFFD}"))
        #expect(root.allText.contains("</td></tr><tr>"))
    }

    @Test("the heat map has one cell per matrix entry, with its count written in it")
    func heatMapCells() throws {
        let matrix = [[7, 1, 0], [2, 9, 3], [0, 4, 12]]
        let report = Self.report(classNames: ["books", "toys", "garden"], matrix: matrix)
        let root = try XMLTree.parse(report.html())
        let heatMap = try #require(
            root.descendants(named: "svg").first { $0.attributes["aria-labelledby"]?.hasPrefix("confusion") == true }
        )
        let groups = heatMap.descendants(named: "g").filter {
            $0.children.contains { $0.attributes["class"] == "cell" }
        }
        #expect(groups.count == 9)
        var seen = Set<[Int]>()
        for group in groups {
            let cell = try #require(group.children.first { $0.name == "rect" })
            let row = try #require(cell.attributes["data-true"].flatMap { Int($0) })
            let column = try #require(cell.attributes["data-predicted"].flatMap { Int($0) })
            #expect(cell.attributes["data-count"] == String(matrix[row][column]))
            let written = try #require(group.children.first { $0.name == "text" })
            #expect(written.allText == String(matrix[row][column]))
            seen.insert([row, column])
        }
        #expect(seen.count == 9)
        // The largest count is the darkest, an empty cell the lightest.
        for cell in heatMap.descendants(where: { $0.attributes["class"] == "cell" }) {
            switch cell.attributes["data-count"] {
            case "12": #expect(cell.attributes["fill"] == "#084594")
            case "0": #expect(cell.attributes["fill"] == "#f7fbff")
            default: #expect(cell.attributes["fill"] != "#084594" && cell.attributes["fill"] != "#f7fbff")
            }
        }
        // Both axes are labelled with the class names.
        let text = heatMap.allText
        #expect(text.contains("True class") && text.contains("Predicted class"))
        #expect(heatMap.descendants(named: "text").filter { $0.text == "garden" }.count == 2)
    }

    @Test("importance bars: the top 15, largest first, lengths proportional to importance")
    func importanceBars() throws {
        // 20 features in no particular order; importance of feature i is (i * 7 % 20 + 1) / 210.
        let importances = (0..<20).map {
            NeedsReport.FeatureImportance(feature: "f\($0)", importance: Double($0 * 7 % 20 + 1) / 210)
        }
        var report = Self.report()
        report.evaluation.featureImportances = importances
        let root = try XMLTree.parse(report.html())
        let chart = try #require(
            root.descendants(named: "svg").first { $0.attributes["aria-labelledby"]?.hasPrefix("importance") == true }
        )
        let bars = chart.descendants { $0.attributes["class"] == "bar" }
        #expect(bars.count == 15)
        let expected = importances.sorted { $0.importance > $1.importance }.prefix(15)
        #expect(bars.map { $0.attributes["data-label"] } == expected.map(\.feature))
        let widths = try bars.map { try #require(Double($0.attributes["width"] ?? "")) }
        #expect(widths.first == 420)
        for (width, importance) in zip(widths, expected) {
            #expect(abs(width - importance.importance / expected[0].importance * 420) < 0.01)
        }
    }

    @Test("class distribution bars: the most predicted first, lengths proportional to counts")
    func distributionBars() throws {
        var report = Self.report()
        report.classDistribution = [
            .init(className: "toys", count: 30), .init(className: "books", count: 120),
            .init(className: "garden", count: 0), .init(className: "food", count: 60),
        ]
        let root = try XMLTree.parse(report.html())
        let chart = try #require(
            root.descendants(named: "svg").first { $0.attributes["aria-labelledby"]?.hasPrefix("distribution") == true }
        )
        let bars = chart.descendants { $0.attributes["class"] == "bar" }
        #expect(bars.map { $0.attributes["data-label"] } == ["books", "food", "toys", "garden"])
        #expect(bars.map { $0.attributes["width"] } == ["420", "210", "105", "0"])
        #expect(chart.allText.contains("120 (57.1%)"))
    }

    @Test("the document references nothing outside itself")
    func selfContained() {
        let html = Self.report().html()
        for reference in ["http://", "https://", "src=", "href=", "url(", "@import", "<link", "<script", "<img"] {
            #expect(!html.contains(reference), "found \(reference)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>"))
    }

    @Test("the customers table lists at most the limit and says when it is cut")
    func customerLimit() throws {
        let report = Self.report(customerCount: 250)
        let cut = try XMLTree.parse(report.html())
        let table = try #require(cut.descendants { $0.attributes["id"] == "customers" }.first)
        #expect(table.descendants(named: "tbody").first?.children.count == 200)
        #expect(table.allText.contains("Showing the first 200 of 250 customers."))

        let whole = try XMLTree.parse(report.html(customerLimit: 300))
        let all = try #require(whole.descendants { $0.attributes["id"] == "customers" }.first)
        #expect(all.descendants(named: "tbody").first?.children.count == 250)
        #expect(!all.allText.contains("Showing"))
    }

    @Test("the HTML depends on the report only: times come from it, output is stable")
    func deterministic() {
        let report = Self.report()
        let html = report.html()
        #expect(html == Self.report().html())
        #expect(html.contains("2026-11-26T09:30:00Z"))
        var later = report
        later.generateTime = later.generateTime.addingTimeInterval(3_600)
        #expect(later.html() != html)
    }

    // MARK: - JSON

    @Test("round trip through JSONEncoder and JSONDecoder")
    func codableRoundTrip() throws {
        let report = Self.report(classNames: Self.hostileClasses)
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(NeedsReport.self, from: data) == report)
    }

    @Test("json() writes ISO 8601 times and init(json:) reads them back")
    func jsonRoundTrip() throws {
        let report = Self.report()
        let data = try report.json()
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains(#""generateTime" : "2026-11-26T09:30:00.000Z""#))
        #expect(try NeedsReport(json: data) == report)
    }

    // MARK: - Text

    @Test("the text table aligns every column")
    func textColumns() throws {
        var report = Self.report(customerCount: 3)
        report.customers[0].displayName = "Ann"
        report.customers[1].displayName = "Bartholomew\nvan der Berg"
        report.customers[2].confidence = 1
        let text = report.text(limit: 3)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let headerIndex = try #require(lines.firstIndex { $0.hasPrefix("CUSTOMER ") })
        let header = lines[headerIndex]
        let rows = Array(lines[(headerIndex + 1)...(headerIndex + 3)])
        #expect(lines.count == headerIndex + 5, "one line per customer, then the end")

        let segmentColumn = try #require(header.range(of: "SEGMENT")).lowerBound.utf16Offset(in: header)
        let predictedColumn = try #require(header.range(of: "PREDICTED")).lowerBound.utf16Offset(in: header)
        let confidenceEnd = try #require(header.range(of: "CONFIDENCE")).upperBound.utf16Offset(in: header)
        for (row, need) in zip(rows, report.customers) {
            #expect(Self.word(in: row, at: segmentColumn) == need.segment, "\(row)")
            #expect(Self.word(in: row, at: predictedColumn) == need.predictedClass, "\(row)")
            let percent = row.utf16.prefix(confidenceEnd).suffix(6)
            #expect(String(percent)?.hasSuffix("%") == true, "\(row)")
        }
        #expect(rows[2].contains("100.0%"))
        #expect(rows[1].contains("Bartholomew van der Berg"))
        #expect(rows[0].contains("recency_days, frequency_90d, monetary_90d"))
    }

    @Test("the text says when the customers are cut and aligns the segments")
    func textCut() throws {
        let report = Self.report(customerCount: 10)
        let text = report.text(limit: 4)
        #expect(text.contains("Customers (the first 4 of 10)"))
        #expect(text.components(separatedBy: "customers/").count - 1 == 4)
        let lines = text.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("SEGMENT ") })
        let countEnd = try #require(header.range(of: "CUSTOMERS")).upperBound.utf16Offset(in: header)
        let segmentRows = lines.filter { $0.hasPrefix("active ") || $0.hasPrefix("new ") }
        #expect(segmentRows.count == 2)
        for row in segmentRows {
            let digits = String(row.utf16.prefix(countEnd))!
            #expect(digits.last?.isNumber == true && row.utf16.count > countEnd, "\(row)")
            #expect(Array(row.utf16)[countEnd] == UInt16(UInt8(ascii: " ")), "\(row)")
        }
        #expect(!text.contains(" \n"), "no trailing spaces")
    }

    // MARK: - Fixtures

    static let hostileClasses = ["<script>alert(1)</script>", #"a<b & "c" 'd'"#, "plain"]

    static func word(in line: String, at offset: Int) -> String {
        let rest = String(line.utf16.dropFirst(offset))!
        return String(rest.prefix { $0 != " " })
    }

    static func report(
        classNames: [String] = ["books", "toys", "garden"],
        matrix: [[Int]] = [[7, 1, 0], [2, 9, 3], [0, 4, 12]],
        customerCount: Int = 5
    ) -> NeedsReport {
        let hostile = classNames == hostileClasses
        let customers = (0..<customerCount).map { index in
            let predicted = classNames[index % classNames.count]
            return NeedsReport.CustomerNeed(
                customer: "customers/\(index + 1)",
                displayName: hostile && index == 0 ? "<img src=x onerror=alert(1)>\u{1}" : "Customer \(index + 1)",
                segment: index % 2 == 0 ? "active" : "new",
                predictedClass: predicted,
                confidence: 0.5 + Double(index % 5) / 10,
                probabilities: classNames.map {
                    NeedsReport.ClassProbability(className: $0, probability: $0 == predicted ? 0.6 : 0.2)
                },
                drivers: [
                    .init(feature: "recency_days", value: 42, weight: 0.8),
                    .init(feature: "frequency_90d", value: nil, weight: 0.5),
                    .init(feature: "monetary_90d", value: 120.5, weight: 0.3),
                    .init(feature: "tenure_days", value: 800, weight: 0.1),
                ]
            )
        }
        return NeedsReport(
            title: "Customer needs — next-category",
            generateTime: Date(timeIntervalSince1970: 1_795_685_400),  // 2026-11-26T09:30:00Z
            scoredTime: Date(timeIntervalSince1970: 1_795_680_000),
            model: .init(
                name: "models/3",
                algorithm: "decision-tree",
                target: "next-category",
                version: 3,
                trainTime: Date(timeIntervalSince1970: 1_795_600_000),
                cutoff: Date(timeIntervalSince1970: 1_787_000_000),
                horizon: 90 * 86_400
            ),
            evaluation: .init(
                classNames: classNames,
                confusionMatrix: matrix,
                accuracy: 28.0 / 38.0,
                macroF1: 0.7123,
                baselineAccuracy: 16.0 / 38.0,
                baselineClass: classNames[2],
                featureImportances: [
                    .init(feature: "recency_days", importance: 0.5),
                    .init(feature: hostile ? classNames[0] : "frequency_90d", importance: 0.3),
                    .init(feature: hostile ? classNames[1] : "monetary_90d", importance: 0.2),
                ],
                importanceMethod: .model
            ),
            classDistribution: classNames.enumerated().map {
                .init(className: $0.element, count: 10 * ($0.offset + 1))
            },
            segments: [
                .init(
                    name: hostile ? "</td></tr><tr>" : "active",
                    customerCount: 3,
                    predicted: [.init(className: classNames[0], count: 2), .init(className: classNames[2], count: 1)],
                    meanConfidence: 0.71,
                    topDrivers: ["recency_days", "monetary_90d"]
                ),
                .init(
                    name: "new",
                    customerCount: 2,
                    predicted: [.init(className: classNames[1], count: 2)],
                    meanConfidence: 0.64,
                    topDrivers: ["frequency_90d"]
                ),
            ],
            customers: customers
        )
    }
}

/// A parsed XML element, enough to look into the report's HTML.
final class XMLTree {
    let name: String
    let attributes: [String: String]
    var children: [XMLTree] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// The text of this element and all below it, in document order.
    var allText: String { text + children.map(\.allText).joined() }

    func descendants(where matches: (XMLTree) -> Bool) -> [XMLTree] {
        children.flatMap { (matches($0) ? [$0] : []) + $0.descendants(where: matches) }
    }

    func descendants(named name: String) -> [XMLTree] {
        descendants { $0.name == name }
    }

    /// The root element of `document`; throws when it is not well-formed XML.
    static func parse(_ document: String) throws -> XMLTree {
        let builder = Builder()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = builder
        // libxml2 recovers from some errors and still reports success: any error fails the parse.
        let parsed = parser.parse()
        if let error = builder.error ?? parser.parserError { throw error }
        guard parsed, let root = builder.root, builder.stack.isEmpty else { throw CocoaError(.coderReadCorrupt) }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []
        var error: (any Error)?

        func parser(
            _ parser: XMLParser,
            didStartElement elementName: String,
            namespaceURI: String?,
            qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            let element = XMLTree(name: elementName, attributes: attributeDict)
            if let parent = stack.last {
                parent.children.append(element)
            } else {
                root = element
            }
            stack.append(element)
        }

        func parser(
            _ parser: XMLParser,
            didEndElement elementName: String,
            namespaceURI: String?,
            qualifiedName qName: String?
        ) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            error = parseError
        }
    }
}

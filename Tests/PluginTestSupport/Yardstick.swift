package import CRMPluginKit
package import Foundation
package import Testing

/// A yardstick dataset from `../shared/yardsticks/data`: `<name>.csv` (features, then an integer `label`) and
/// `<name>.split.csv` (`is_test`), split into its training and test rows.
package struct Yardstick {
    /// The rows marked 0 in the split file.
    package var train: Dataset
    /// The rows marked 1 in the split file.
    package var test: Dataset

    /// `../shared/yardsticks/data` beside the repository.
    package static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // PluginTestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .deletingLastPathComponent()
        .appendingPathComponent("shared/yardsticks/data")

    /// Whether the yardstick data is there.
    package static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("iris.csv").path)
    }

    /// Whether a test can use the yardstick data. Where it is absent, a test run under CI (`CI` set, not empty),
    /// which has `../shared`, fails; elsewhere the test is skipped, with a note when `skipping` names it.
    ///
    /// - Parameters:
    ///   - skipping: What the note says is skipped; `nil` for no note.
    package static func isAvailable(
        skipping: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        if isAvailable {
            return true
        }
        let inCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false
        if inCI {
            Issue.record(
                "the yardstick data is missing: \(folder.path) (CI runs with ../shared)",
                sourceLocation: sourceLocation
            )
        } else if let skipping {
            print("skipping \(skipping): \(folder.path) is absent")
        }
        return false
    }

    /// Reads the dataset `name`; its class names are `class0`, `class1`, …
    ///
    /// - Parameters:
    ///   - standardised: Whether to scale both parts with a ``StandardScaler`` fitted on the training rows, as the
    ///     host does before a scale-sensitive algorithm.
    package init(_ name: String, standardised: Bool = false) throws {
        let lines = try String(contentsOf: Self.folder.appendingPathComponent("\(name).csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline)
        let split = try String(contentsOf: Self.folder.appendingPathComponent("\(name).split.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).dropFirst().map { $0 == "1" }
        let header = lines[0].split(separator: ",").map(String.init)
        let featureNames = Array(header.dropLast())
        let width = featureNames.count
        var values: [Double] = []
        values.reserveCapacity((lines.count - 1) * width)
        var labels: [Int32] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == width + 1, let label = Int32(fields[width]) else {
                throw LoadError(message: "\(name).csv: bad row \(line)")
            }
            for field in fields.prefix(width) {
                guard let value = Double(field) else {
                    throw LoadError(message: "\(name).csv: bad value \(field)")
                }
                values.append(value)
            }
            labels.append(label)
        }
        guard split.count == labels.count else {
            throw LoadError(message: "\(name).split.csv has \(split.count) rows for \(labels.count)")
        }
        let trainingRows = labels.indices.filter { !split[$0] }
        let scaler = standardised ? StandardScaler(fitting: values, width: width, rows: trainingRows) : nil
        let classNames = (0...Int(labels.max()!)).map { "class\($0)" }
        func subset(_ test: Bool) -> Dataset {
            var data = Dataset()
            data.featureNames = featureNames
            data.nFeatures = Int32(width)
            data.classNames = classNames
            for row in labels.indices where split[row] == test {
                for column in 0..<width {
                    let value = values[row * width + column]
                    data.values.append(scaler?.transform(value, column: column) ?? value)
                }
                data.labels.append(labels[row])
            }
            data.nRows = Int32(data.labels.count)
            return data
        }
        train = subset(false)
        test = subset(true)
    }
}

import CRMPluginKit
import Foundation
import PluginTestSupport

/// A yardstick dataset: `<name>.csv` (features, then an integer `label`) and `<name>.split.csv` (`is_test`),
/// standardised as the host does: a StandardScaler fitted on the training rows.
struct Yardstick {
    var train: Dataset
    var test: Dataset

    /// `../shared/yardsticks/data` beside the repository.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // NeuralNetworkPluginTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .deletingLastPathComponent()
        .appendingPathComponent("shared/yardsticks/data")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("iris.csv").path)
    }

    init(_ name: String) throws {
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
        // StandardScaler on the training rows: mean and population standard deviation (1 where it is 0).
        var mean = [Double](repeating: 0, count: width)
        var deviation = [Double](repeating: 0, count: width)
        let trainCount = Double(split.count { !$0 })
        for row in labels.indices where !split[row] {
            for column in 0..<width {
                mean[column] += values[row * width + column] / trainCount
            }
        }
        for row in labels.indices where !split[row] {
            for column in 0..<width {
                let difference = values[row * width + column] - mean[column]
                deviation[column] += difference * difference / trainCount
            }
        }
        deviation = deviation.map { $0 > 0 ? $0.squareRoot() : 1 }
        let classNames = (0...Int(labels.max()!)).map { "class\($0)" }
        func subset(_ test: Bool) -> Dataset {
            var data = Dataset()
            data.featureNames = featureNames
            data.nFeatures = Int32(width)
            data.classNames = classNames
            for row in labels.indices where split[row] == test {
                for column in 0..<width {
                    data.values.append((values[row * width + column] - mean[column]) / deviation[column])
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

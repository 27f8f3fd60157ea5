import CRMPluginABI
import CRMPluginKit
import Foundation
import PluginTestSupport
import Testing

/// Accuracy on the yardstick datasets (../shared/yardsticks) with their fixed splits, after a StandardScaler fitted
/// on the training rows, against scikit-learn 1.9.1's LinearSVC() and SVC(kernel='rbf').
@Suite("svm yardsticks")
struct YardstickTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let dataset: String
        let kernel: String
        let sklearn: Double
        var testDescription: String { "\(dataset) \(kernel)" }
    }

    static let cases = [
        Case(dataset: "iris", kernel: "linear", sklearn: 0.8684),
        Case(dataset: "wine", kernel: "linear", sklearn: 0.9778),
        Case(dataset: "breast_cancer", kernel: "linear", sklearn: 0.9720),
        Case(dataset: "iris", kernel: "rbf", sklearn: 0.9474),
        Case(dataset: "wine", kernel: "rbf", sklearn: 0.9778),
        Case(dataset: "breast_cancer", kernel: "rbf", sklearn: 0.9790),
    ]

    /// `shared/yardsticks/data`, the repository's sibling.
    static var dataFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/yardsticks/data")
    }

    static func rows(_ url: URL) throws -> [[String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map(String.init) }
    }

    @Test("Test accuracy within one point of scikit-learn", arguments: cases)
    func accuracy(_ yardstick: Case) throws {
        let folder = Self.dataFolder
        let csv = folder.appendingPathComponent("\(yardstick.dataset).csv")
        guard FileManager.default.fileExists(atPath: csv.path) else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("the yardstick data is missing: \(csv.path)")
            } else {
                print("skipping: no yardstick data at \(csv.path)")
            }
            return
        }
        let table = try Self.rows(csv)
        let isTest = try Self.rows(folder.appendingPathComponent("\(yardstick.dataset).split.csv")).map { $0[0] == "1" }
        try #require(isTest.count == table.count)
        let features = table[0].count - 1
        let x = table.map { $0.prefix(features).map { Double($0)! } }
        let y = table.map { Int32($0[features])! }
        let classes = Int(y.max()!) + 1

        // StandardScaler on the training rows (population standard deviation, 1 where it is 0).
        let training = x.indices.filter { !isTest[$0] }
        var mean = [Double](repeating: 0, count: features)
        var scale = [Double](repeating: 0, count: features)
        for r in training { for j in 0..<features { mean[j] += x[r][j] } }
        for j in 0..<features { mean[j] /= Double(training.count) }
        for r in training { for j in 0..<features { scale[j] += (x[r][j] - mean[j]) * (x[r][j] - mean[j]) } }
        for j in 0..<features {
            let s = (scale[j] / Double(training.count)).squareRoot()
            scale[j] = s == 0 ? 1 : s
        }
        func dataset(_ rows: [Int]) -> Dataset {
            var d = Dataset()
            d.nRows = Int32(rows.count)
            d.nFeatures = Int32(features)
            d.classNames = (0..<classes).map { "class_\($0)" }
            for r in rows {
                for j in 0..<features { d.values.append((x[r][j] - mean[j]) / scale[j]) }
                d.labels.append(y[r])
            }
            return d
        }
        let testRows = x.indices.filter { isTest[$0] }

        let plugin = try LoadedPlugin(product: "crmplugin-svm")
        #expect(try plugin.initialize().code == CRM_STATUS_OK)
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = "svm"
        train.parameters = ["kernel": yardstick.kernel]
        train.dataset = dataset(training)
        let request: [UInt8] = try train.serializedBytes()
        let clock = ContinuousClock()
        var model = Data()
        var times: [Duration] = []
        for _ in 0..<3 {
            let start = clock.now
            model = try plugin.call("train", bytes: request).decoded(as: TrainResponse.self).model
            times.append(clock.now - start)
        }
        var predict = PredictRequest()
        predict.model = model
        predict.dataset = dataset(testRows)
        let predicted = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        let correct = zip(predicted.predictedClasses, predict.dataset.labels).filter { $0 == $1 }.count
        let accuracy = Double(correct) / Double(testRows.count)
        let median = times.sorted()[1]
        print(
            "svm yardstick \(yardstick.dataset) kernel=\(yardstick.kernel): accuracy \(String(format: "%.4f", accuracy))"
                + " (scikit-learn \(yardstick.sklearn)), fit \(median) (median of 3, through the ABI)"
        )
        #expect(accuracy >= yardstick.sklearn - 0.01, "\(accuracy) vs scikit-learn's \(yardstick.sklearn)")
    }
}

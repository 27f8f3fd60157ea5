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

    @Test("Test accuracy within one point of scikit-learn", arguments: cases)
    func accuracy(_ yardstick: Case) throws {
        guard Yardstick.isAvailable(skipping: "the \(yardstick.dataset) yardstick") else {
            return
        }
        let data = try Yardstick(yardstick.dataset, standardised: true)
        let plugin = try LoadedPlugin(product: "crmplugin-svm")
        #expect(try plugin.initialize().code == CRM_STATUS_OK)
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = "svm"
        train.parameters = ["kernel": yardstick.kernel]
        train.dataset = data.train
        let request: [UInt8] = try train.serializedBytes()
        let clock = ContinuousClock()
        var model = Data()
        var times: [Duration] = []
        for _ in 0..<3 {
            let start = clock.now
            model = try plugin.call("train", bytes: request).decoded(as: TrainResponse.self).model
            times.append(clock.now - start)
        }
        let accuracy = try plugin.predict(model, data.test).accuracy(on: data.test)
        let median = times.sorted()[1]
        print(
            "svm yardstick \(yardstick.dataset) kernel=\(yardstick.kernel): accuracy \(String(format: "%.4f", accuracy))"
                + " (scikit-learn \(yardstick.sklearn)), fit \(median) (median of 3, through the ABI)"
        )
        #expect(accuracy >= yardstick.sklearn - 0.01, "\(accuracy) vs scikit-learn's \(yardstick.sklearn)")
    }
}

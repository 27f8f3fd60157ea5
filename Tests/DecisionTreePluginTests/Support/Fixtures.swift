import CRMPluginKit
import Foundation
import PluginTestSupport

/// The decision-tree plugin, loaded once per test and initialised.
func loadDecisionTree() throws -> LoadedPlugin {
    try LoadedPlugin.initialised(product: "crmplugin-decision-tree")
}

/// A one-feature dataset.
func line(_ values: [Double], labels: [Int32], classes: Int = 2) -> Dataset {
    Dataset(rows: values.map { [$0] }, labels: labels, classes: classes)
}

/// A request to train the decision tree on `data`.
func trainRequest(_ data: Dataset, _ parameters: [String: String] = [:], seed: Int64? = 0) -> TrainRequest {
    TrainRequest(algorithm: "decision-tree", dataset: data, parameters: parameters, seed: seed)
}

extension LoadedPlugin {
    /// Trains the decision tree on `data`.
    func train(_ data: Dataset, _ parameters: [String: String] = [:], seed: Int64? = 0) throws -> TrainResponse {
        try train(trainRequest(data, parameters, seed: seed))
    }
}

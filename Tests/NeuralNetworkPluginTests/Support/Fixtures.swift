import CRMPluginKit
import Foundation
import PluginTestSupport

/// The neural-network plugin, loaded once per test and initialised.
func loadNeuralNetwork() throws -> LoadedPlugin {
    try LoadedPlugin.initialised(product: "crmplugin-neural-network")
}

/// A request to train the neural network on `data`.
func trainRequest(_ data: Dataset, _ parameters: [String: String] = [:], seed: Int64? = 0) -> TrainRequest {
    TrainRequest(algorithm: "neural-network", dataset: data, parameters: parameters, seed: seed)
}

extension LoadedPlugin {
    /// Trains the neural network on `data`.
    func train(_ data: Dataset, _ parameters: [String: String] = [:], seed: Int64? = 0) throws -> TrainResponse {
        try train(trainRequest(data, parameters, seed: seed))
    }
}

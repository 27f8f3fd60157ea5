import CRMPluginKit
import Foundation
import PluginTestSupport

/// The neural-network plugin, loaded once per test and initialised.
func loadNeuralNetwork() throws -> LoadedPlugin {
    let plugin = try LoadedPlugin(product: "crmplugin-neural-network")
    try plugin.initialize()
    return plugin
}

/// A dataset from rows; class names `c0`, `c1`, …
func dataset(_ rows: [[Double]], labels: [Int32] = [], classes: Int = 2) -> Dataset {
    let width = rows.first?.count ?? 0
    return Dataset(
        featureNames: (0..<width).map { "x\($0)" },
        rows: rows,
        labels: labels,
        classNames: (0..<classes).map { "c\($0)" }
    )
}

func trainRequest(_ data: Dataset, _ parameters: [String: String] = [:], seed: Int64? = 0) -> TrainRequest {
    var request = TrainRequest()
    request.algorithm = "neural-network"
    request.dataset = data
    request.parameters = parameters
    if let seed {
        request.randomState = seed
    }
    return request
}

extension LoadedPlugin {
    func train(_ data: Dataset, _ parameters: [String: String] = [:], seed: Int64? = 0) throws -> TrainResponse {
        try call("train", trainRequest(data, parameters, seed: seed)).decoded(as: TrainResponse.self)
    }

    func predict(_ model: Data, _ data: Dataset) throws -> PredictResponse {
        var request = PredictRequest()
        request.model = model
        request.dataset = data
        return try call("predict", request).decoded(as: PredictResponse.self)
    }
}

/// The fraction of `data`'s rows the prediction gets right.
func accuracy(_ predicted: PredictResponse, _ data: Dataset) -> Double {
    let correct = zip(predicted.predictedClasses, data.labels).count { $0 == $1 }
    return Double(correct) / Double(max(data.rowCount, 1))
}

/// A test-side reader of the model header (format version 1), independent of the plugin's own code.
struct ModelHeader {
    var version: Int
    var activation: Int
    var units: [Int]

    init(_ model: Data) throws {
        let bytes = [UInt8](model)
        func u32(_ offset: Int) -> Int {
            Int((0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) })
        }
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("CRNN".utf8) else {
            throw LoadError(message: "not a neural-network model")
        }
        version = Int(bytes[4]) | Int(bytes[5]) << 8
        activation = Int(bytes[6])
        let layers = u32(8)
        units = (0...layers).map { u32(12 + 4 * $0) }
    }
}

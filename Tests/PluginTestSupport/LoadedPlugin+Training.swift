package import CRMPluginKit
package import Foundation

extension LoadedPlugin {
    /// Loads `lib<product>.so` and calls `init` with the default configuration.
    package static func initialised(product: String) throws -> LoadedPlugin {
        let plugin = try LoadedPlugin(product: product)
        try plugin.initialize()
        return plugin
    }

    /// Calls `train`; a failure is thrown as a ``PluginError``.
    package func train(_ request: TrainRequest) throws -> TrainResponse {
        try call("train", request).decoded(as: TrainResponse.self)
    }

    /// Calls `predict` with `model` on `data`; a failure is thrown as a ``PluginError``.
    package func predict(_ model: Data, _ data: Dataset) throws -> PredictResponse {
        var request = PredictRequest()
        request.model = model
        request.dataset = data
        return try call("predict", request).decoded(as: PredictResponse.self)
    }
}

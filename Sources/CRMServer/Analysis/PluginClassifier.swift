import CRMPluginABI
import CRMPluginKit
import Foundation
import GRPCCore
import SwiftProtobuf

/// One analysis algorithm of a loaded plugin, called through the plugin boundary with finished
/// (imputed, standardised) matrices.
struct PluginClassifier: Sendable {
    let host: PluginHost
    let plugin: String
    let algorithm: String
    let parameters: [String: String]
    let seed: Int64?
    let featureNames: [String]
    let classNames: [String]

    /// What a fit returned, and how long the plugin's `train` call took.
    struct Fit: Sendable {
        var response: Crm_Plugin_V1_TrainResponse
        var seconds: Double
    }

    /// Trains on `rows` (flat, row-major, `featureNames.count` columns) with class indexes `labels`.
    func fit(
        _ rows: [Double],
        labels: [Int],
        progress: (@Sendable (Double, String?) -> Void)? = nil
    ) async throws -> Fit {
        var request = Crm_Plugin_V1_TrainRequest()
        request.algorithm = algorithm
        request.parameters = parameters
        request.dataset = dataset(rows, labels: labels)
        if let seed {
            request.seed = .randomState(seed)
        }
        let bytes = try request.serializedBytes() as [UInt8]
        let start = ContinuousClock.now
        let answer = try await host.callBytes(
            plugin: plugin,
            method: CRM_METHOD_TRAIN,
            request: bytes,
            progress: progress
        )
        let elapsed = ContinuousClock.now - start
        let response = try decode(answer, as: Crm_Plugin_V1_TrainResponse.self, method: CRM_METHOD_TRAIN)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Fit(response: response, seconds: seconds)
    }

    /// Predicted class indexes and per-class probabilities (row-major, `classNames.count` columns).
    func predict(model: Data, rows: [Double]) async throws -> (classes: [Int], probabilities: [Double]) {
        var request = Crm_Plugin_V1_PredictRequest()
        request.model = model
        request.dataset = dataset(rows, labels: [])
        let response = try await host.call(
            plugin: plugin,
            method: CRM_METHOD_PREDICT,
            request: request,
            as: Crm_Plugin_V1_PredictResponse.self
        )
        let count = featureNames.isEmpty ? 0 : rows.count / featureNames.count
        let classCount = classNames.count
        guard response.predictedClasses.count == count,
            response.predictedClasses.allSatisfy({ $0 >= 0 && Int($0) < classCount })
        else {
            throw RPCError(
                code: .internalError,
                message: "plugin \(plugin): predict did not return one class in 0..<\(classCount) per row"
            )
        }
        let classes = response.predictedClasses.map(Int.init)
        var probabilities: [Double]
        if response.probabilities.count == count * classCount, Int(response.nClasses) == classCount {
            probabilities = response.probabilities
        } else {
            // No probabilities from this algorithm: 1 for the predicted class.
            probabilities = [Double](repeating: 0, count: count * classCount)
            for (row, predicted) in classes.enumerated() {
                probabilities[row * classCount + predicted] = 1
            }
        }
        return (classes, probabilities)
    }

    private func dataset(_ rows: [Double], labels: [Int]) -> Crm_Plugin_V1_Dataset {
        var dataset = Crm_Plugin_V1_Dataset()
        dataset.featureNames = featureNames
        dataset.nFeatures = Int32(featureNames.count)
        dataset.nRows = Int32(featureNames.isEmpty ? 0 : rows.count / featureNames.count)
        dataset.values = rows
        dataset.labels = labels.map(Int32.init)
        dataset.classNames = classNames
        return dataset
    }

    private func decode<M: SwiftProtobuf.Message>(_ bytes: [UInt8], as type: M.Type, method: String) throws -> M {
        do {
            return try M(serializedBytes: bytes)
        } catch {
            throw RPCError(
                code: .internalError,
                message: "plugin \(plugin): \(method) returned bytes that are not a \(M.protoMessageName)"
            )
        }
    }
}

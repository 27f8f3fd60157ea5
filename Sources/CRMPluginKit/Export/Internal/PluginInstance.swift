import Foundation
import SwiftProtobuf

/// A created plugin, as the C thunks see it: methods by name, bytes in and out.
protocol PluginInstance: Sendable {
    /// Runs `method` on the encoded `request`.
    ///
    /// - Returns: The encoded response, in a buffer the host frees with `free_buffer`.
    func call(_ method: String, request: Data, context: PluginCallContext) throws -> ResponseBytes
}

/// The methods of an ``AnalysisPlugin``.
struct AnalysisInstance<Plugin: AnalysisPlugin>: PluginInstance {
    let plugin: Plugin
    let name: String

    func call(_ method: String, request: Data, context: PluginCallContext) throws -> ResponseBytes {
        switch method {
        case "describe":
            var response = try plugin.describe()
            if response.methods.isEmpty {
                response.methods = ["describe", "train", "predict"]
            }
            return try encode(response, method)
        case "train":
            let request = try decode(TrainRequest.self, request, method)
            try request.dataset.validate(requireLabels: true)
            return try encode(plugin.train(request, context: context), method)
        case "predict":
            let request = try decode(PredictRequest.self, request, method)
            try request.dataset.validate(requireLabels: false)
            return try encode(plugin.predict(request, context: context), method)
        default:
            throw unknownMethod(method, plugin: name, offers: ["describe", "train", "predict"])
        }
    }
}

/// The methods of a ``ConnectorPlugin``.
struct ConnectorInstance<Plugin: ConnectorPlugin>: PluginInstance {
    let plugin: Plugin
    let name: String

    func call(_ method: String, request: Data, context: PluginCallContext) throws -> ResponseBytes {
        switch method {
        case "describe":
            var response = try plugin.describe()
            if response.methods.isEmpty {
                response.methods = ["describe", "pull"] + (response.connector.pushKinds.isEmpty ? [] : ["push"])
            }
            return try encode(response, method)
        case "pull":
            return try encode(plugin.pull(decode(PullRequest.self, request, method), context: context), method)
        case "push":
            return try encode(plugin.push(decode(PushRequest.self, request, method), context: context), method)
        default:
            throw unknownMethod(method, plugin: name, offers: ["describe", "pull", "push"])
        }
    }
}

private func decode<Request: SwiftProtobuf.Message>(
    _ type: Request.Type,
    _ bytes: Data,
    _ method: String
) throws(PluginError) -> Request {
    do {
        return try Request(serializedBytes: bytes)
    } catch {
        throw PluginError(
            code: .invalidArgument,
            message: "the \(method) request is not a valid \(Request.protoMessageName): \(error)",
            cause: error
        )
    }
}

private func encode(_ response: some SwiftProtobuf.Message, _ method: String) throws(PluginError) -> ResponseBytes {
    do {
        return try response.serializedBytes()
    } catch {
        throw PluginError(
            code: .internalError,
            message: "the \(method) response could not be encoded: \(error)",
            cause: error
        )
    }
}

private func unknownMethod(_ method: String, plugin: String, offers: [String]) -> PluginError {
    PluginError(
        code: .unimplemented,
        message: "plugin \(plugin) has no method \"\(method)\"; it offers \(offers.joined(separator: ", "))"
    )
}

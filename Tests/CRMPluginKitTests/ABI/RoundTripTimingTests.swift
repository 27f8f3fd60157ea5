import CRMPluginABI
import CRMPluginKit
import Foundation
import PluginTestSupport
import SwiftProtobuf
import Testing

/// How long a round trip through the plugin boundary takes for a 1,000-row × 20-feature dataset: encode the
/// request, call through the function pointer (the plugin decodes, works, encodes), decode the response. Printed,
/// not asserted: timings of a debug build on a shared machine are not a pass/fail matter. Run in release for
/// numbers worth quoting (docs/plugins.md).
@Suite("Round-trip timing")
struct RoundTripTimingTests {
    @Test(
        "Round trip for 1,000 × 20",
        arguments: [
            ("crmplugin-nearest-centroid", "majority-class"),
            ("crmplugin-nearest-centroid", "nearest-centroid"),
            ("crmplugin-gaussian-nb", "gaussian-nb"),
        ]
    )
    func roundTrip(product: String, algorithm: String) throws {
        let plugin = try LoadedPlugin(product: product)
        #expect(try plugin.initialize().code == CRM_STATUS_OK)
        defer { plugin.shutdown() }
        let dataset = SyntheticData.blobs(rows: 1_000, features: 20, classes: 4)

        var train = TrainRequest()
        train.algorithm = algorithm
        train.dataset = dataset
        let trainTimes = try measure(plugin, "train", train, as: TrainResponse.self)

        var predict = PredictRequest()
        predict.model = try plugin.call("train", train).decoded(as: TrainResponse.self).model
        predict.dataset = dataset
        predict.dataset.labels = []
        let predictTimes = try measure(plugin, "predict", predict, as: PredictResponse.self)

        let requestBytes = try train.serializedBytes() as [UInt8]
        print(
            """
            plugin round trip, 1,000 × 20 (\(requestBytes.count) request bytes), \(algorithm) [\(product)], \
            median of 21: train \(trainTimes), predict \(predictTimes)
            """
        )
    }

    /// Median times of encode, call and decode over 21 round trips, after one warm-up.
    private func measure<Response: SwiftProtobuf.Message>(
        _ plugin: LoadedPlugin,
        _ method: String,
        _ request: some SwiftProtobuf.Message,
        as type: Response.Type
    ) throws -> Timing {
        var samples: [Timing] = []
        var response: Response?
        for round in 0..<22 {
            let clock = ContinuousClock()
            let start = clock.now
            let bytes: [UInt8] = try request.serializedBytes()
            let encoded = clock.now
            var called = encoded
            let outcome = try bytes.withUnsafeBytes { request in
                try plugin.withResponse(method, request: request) { buffer in
                    called = clock.now
                    // Decode straight from the plugin's buffer, as a host would, before it is freed.
                    response = try Response(serializedBytes: Data(buffer))
                    return .success([])
                }
            }
            let decoded = clock.now
            #expect(outcome.code == CRM_STATUS_OK, "\(outcome.message)")
            if round > 0 {
                samples.append(Timing(encode: encoded - start, call: called - encoded, decode: decoded - called))
            }
        }
        #expect(response != nil)
        return Timing(
            encode: samples.map(\.encode).sorted()[samples.count / 2],
            call: samples.map(\.call).sorted()[samples.count / 2],
            decode: samples.map(\.decode).sorted()[samples.count / 2]
        )
    }

    struct Timing: CustomStringConvertible {
        let encode: Duration
        let call: Duration
        let decode: Duration

        var description: String {
            "encode \(micros(encode)) + call \(micros(call)) + decode \(micros(decode)) = \(micros(encode + call + decode))"
        }

        private func micros(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            return "\(Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)) µs"
        }
    }
}

import CRMPluginKit
import Foundation
import PluginTestSupport
import Testing

/// Accuracy on the yardstick datasets with their fixed splits, standardised on the training rows, against
/// scikit-learn's `MLPClassifier(hidden_layer_sizes=(64,), max_iter=200, random_state=0)`
/// (../shared/yardsticks/README.md): within one point.
@Suite("neural-network on the yardstick datasets")
struct YardstickTests {
    static let references: [(name: String, accuracy: Double, fitSeconds: Double)] = [
        ("iris", 0.9211, 0.056), ("wine", 0.9556, 0.056), ("breast_cancer", 0.9650, 0.18),
    ]

    @Test("test accuracy within one point of scikit-learn", arguments: references)
    func accuracy(_ name: String, _ reference: Double, _ fitSeconds: Double) throws {
        guard Yardstick.isAvailable(skipping: "the \(name) yardstick") else {
            return
        }
        let data = try Yardstick(name, standardised: true)
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let clock = ContinuousClock()
        var trained = TrainResponse()
        let elapsed = try clock.measure {
            trained = try plugin.train(data.train, ["hidden_layer_sizes": "64"], seed: 0)
        }
        let predicted = try plugin.predict(trained.model, data.test)
        let accuracy = predicted.accuracy(on: data.test)
        print(
            "neural-network \(name): test accuracy \(String(format: "%.4f", accuracy)) (scikit-learn \(reference)), "
                + "fit \(elapsed) through the ABI (scikit-learn \(fitSeconds) s; \(plugin.path)), "
                + "\(trained.nIterations) epochs"
        )
        #expect(accuracy >= reference - 0.01, "\(name): \(accuracy) vs scikit-learn's \(reference)")
    }
}

/// The large yardstick, synth100k (75,000 training rows × 20 features): a measurement, not a check, run only when
/// asked — it is meant for a release build of the plugin:
///
/// ```sh
/// swift build -c release --product crmplugin-neural-network --scratch-path .build-nn-release
/// NEURAL_NETWORK_SYNTH100K=1 CRM_PLUGIN_BUILD_DIR=.build-nn-release/release \
///     swift test --filter NeuralNetworkPluginTests.Synth100kTiming
/// ```
@Suite("neural-network on synth100k (timing)")
struct Synth100kTiming {
    @Test(
        "fit time and accuracy on synth100k",
        .enabled(if: ProcessInfo.processInfo.environment["NEURAL_NETWORK_SYNTH100K"] != nil && Yardstick.isAvailable)
    )
    func synth100k() throws {
        let data = try Yardstick("synth100k", standardised: true)
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let request = try trainRequest(data.train, ["hidden_layer_sizes": "64"], seed: 0).serializedBytes() as [UInt8]
        let clock = ContinuousClock()
        var outcome = LoadedPlugin.Outcome.success([])
        // The processor time too: on a busy machine, the wall-clock time says more about the neighbours.
        let processorStart = Foundation.clock()
        let elapsed = clock.measure {
            outcome = plugin.call("train", bytes: request)
        }
        let processorSeconds = Double(Foundation.clock() - processorStart) / Double(CLOCKS_PER_SEC)
        let trained = try outcome.decoded(as: TrainResponse.self)
        let predicted = try plugin.predict(trained.model, data.test)
        print(
            "neural-network synth100k: test accuracy \(predicted.accuracy(on: data.test)) "
                + "(scikit-learn 0.9769), train call \(elapsed), processor \(String(format: "%.2f", processorSeconds)) s "
                + "(scikit-learn fit 27.8 s), \(plugin.path), "
                + "\(trained.nIterations) epochs, notes \(trained.notes)"
        )
    }
}

import CRMPluginKit
import Foundation
import PluginTestSupport
import Testing

/// How long the plugin's `train` call takes on the small yardsticks, through the ABI as crmd calls it (the request
/// already encoded; the plugin decodes it, grows the tree and encodes the response). Printed, not asserted, and run
/// only when asked — it is meant for a release build of the plugin:
///
/// ```sh
/// swift build -c release --product crmplugin-decision-tree --scratch-path .build-dt-release
/// DECISION_TREE_FIT_TIMING=1 CRM_PLUGIN_BUILD_DIR=.build-dt-release/release \
///     swift test --filter DecisionTreePluginTests.FitTiming
/// ```
@Suite("decision-tree fit time on the small yardsticks (timing)")
struct FitTiming {
    @Test(
        "train call time",
        .enabled(if: ProcessInfo.processInfo.environment["DECISION_TREE_FIT_TIMING"] != nil && Yardstick.isAvailable),
        arguments: ["iris", "wine", "breast_cancer"]
    )
    func trainCall(_ name: String) throws {
        let data = try Yardstick(name)
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        let request = try trainRequest(data.train, seed: 0).serializedBytes() as [UInt8]
        let clock = ContinuousClock()
        var samples: [Duration] = []
        var first = Duration.zero
        for round in 0..<42 {
            var outcome = LoadedPlugin.Outcome.success([])
            let elapsed = clock.measure {
                outcome = plugin.call("train", bytes: request)
            }
            #expect(outcome.code == 0, "\(outcome.message)")
            if round == 0 {
                first = elapsed
            } else {
                samples.append(elapsed)
            }
        }
        samples.sort()
        print(
            "decision-tree \(name) (\(data.train.rowCount) × \(data.train.featureCount), \(request.count) bytes): "
                + "train call first \(first), median of \(samples.count) \(samples[samples.count / 2]), "
                + "min \(samples[0]) [\(plugin.path)]"
        )
    }
}

import CRMPluginABI
import CRMPluginKit
import Foundation
import PluginTestSupport
import Testing

@Suite("decision-tree plugin through the C ABI")
struct DecisionTreeTests {
    @Test("describe lists decision-tree with scikit-learn's parameters and defaults")
    func describe() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        #expect(plugin.descriptorProblem == nil)
        #expect(plugin.name == "decision-tree")
        let description = try plugin.call("describe", bytes: []).decoded(as: DescribeResponse.self)
        #expect(description.methods == ["describe", "train", "predict"])
        let algorithm = try #require(description.algorithms.first { $0.name == "decision-tree" })
        #expect(algorithm.sklearnEquivalent == "sklearn.tree.DecisionTreeClassifier")
        #expect(algorithm.supportsProbabilities)
        #expect(algorithm.supportsFeatureImportances)
        let parameters = Dictionary(uniqueKeysWithValues: algorithm.parameters.map { ($0.name, $0) })
        #expect(parameters["criterion"]?.defaultValue == "gini")
        #expect(parameters["criterion"]?.allowedValues.contains("entropy") == true)
        #expect(parameters["max_depth"]?.defaultValue == "None")
        #expect(parameters["max_depth"]?.nullable == true)
        #expect(parameters["max_depth"]?.type == .int)
        #expect(parameters["min_samples_split"]?.defaultValue == "2")
        #expect(parameters["min_samples_leaf"]?.defaultValue == "1")
        #expect(parameters["class_weight"]?.defaultValue == "None")
        #expect(parameters["class_weight"]?.allowedValues == ["balanced"])
        #expect(parameters["random_state"]?.defaultValue == "None")
        for parameter in algorithm.parameters {
            #expect(!parameter.description_p.isEmpty, "\(parameter.name) is documented")
        }
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test("a separable set: the midpoint threshold, 100% accuracy, pure probabilities")
    func separable() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        let data = line([1, 2, 3, 10, 11, 12], labels: [0, 0, 0, 1, 1, 1])
        let trained = try plugin.train(data)
        let tree = try DecodedTree(trained.model)
        #expect(tree.nodes.count == 3)
        #expect(tree.root.feature == 0)
        #expect(tree.root.threshold == 6.5)
        #expect(trained.metrics["train_accuracy"] == 1)
        #expect(trained.featureImportances == [1])
        let predicted = try plugin.predict(trained.model, line([0, 6.4, 6.6, 100], labels: []))
        #expect(predicted.predictedClasses == [0, 0, 1, 1])
        #expect(predicted.nClasses == 2)
        #expect(predicted.probabilities == [1, 0, 1, 0, 0, 1, 0, 1])
    }

    @Test("the informative feature is chosen over noise, and 2-D blobs are learnt exactly")
    func informativeFeature() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        // Feature 1 separates; feature 0 is noise.
        let rows: [[Double]] = [[5, 0], [1, 1], [4, 2], [2, 3], [3, 10], [5, 11], [1, 12], [2, 13]]
        let trained = try plugin.train(Dataset(rows: rows, labels: [0, 0, 0, 0, 1, 1, 1, 1]))
        let tree = try DecodedTree(trained.model)
        #expect(tree.root.feature == 1)
        #expect(tree.root.threshold == 6.5)
        #expect(trained.featureImportances == [0, 1])
    }

    @Test("three classes on a line: max_depth=1 gives a stump, None grows until pure")
    func stump() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        let data = line([1, 2, 3, 4, 5, 6], labels: [0, 0, 1, 1, 2, 2], classes: 3)
        let full = try plugin.train(data)
        #expect(try DecodedTree(full.model).leafCount == 3)
        #expect(full.metrics["tree_depth"] == 2)
        #expect(full.metrics["train_accuracy"] == 1)
        let stump = try plugin.train(data, ["max_depth": "1"])
        let tree = try DecodedTree(stump.model)
        #expect(tree.nodes.count == 3)
        #expect(stump.metrics["tree_depth"] == 1)
        #expect(stump.effectiveParameters["max_depth"] == "1")
        let predicted = try plugin.predict(stump.model, line([1, 6], labels: []))
        #expect(predicted.probabilities.count == 6)
        // One side of the stump holds two classes half and half.
        #expect(predicted.probabilities.contains(0.5))
    }

    @Test("min_samples_leaf keeps at least that many rows in every leaf")
    func minSamplesLeaf() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        let values: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let data = line(values, labels: [0, 1, 1, 1, 1, 1, 1, 1, 1, 0])
        let free = try DecodedTree(try plugin.train(data).model)
        #expect(free.root.threshold == 1.5 || free.root.threshold == 9.5)
        for minimum in [2, 3, 4] {
            let tree = try DecodedTree(try plugin.train(data, ["min_samples_leaf": "\(minimum)"]).model)
            var sizes: [Int: Int] = [:]
            for value in values {
                sizes[tree.leaf(of: [value]), default: 0] += 1
            }
            #expect(sizes.values.allSatisfy { $0 >= minimum }, "min_samples_leaf=\(minimum): \(sizes)")
        }
        // min_samples_split above the row count: no split at all.
        let unsplit = try plugin.train(data, ["min_samples_split": "11"])
        #expect(try DecodedTree(unsplit.model).nodes.count == 1)
        #expect(unsplit.featureImportances.isEmpty)
        #expect(!unsplit.notes.isEmpty)
    }

    @Test("class_weight=balanced moves the best split on imbalanced data")
    func balanced() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        // Hand-checked (weighted gini of both sides): unweighted the best cut is 2.5; with the minority class
        // weighted 2 (balanced: 12/(2·3)) against 0.667 (12/(2·9)), it is 5.5.
        let data = line((1...12).map(Double.init), labels: [1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        let plain = try DecodedTree(try plugin.train(data, ["max_depth": "1"]).model)
        #expect(plain.root.threshold == 2.5)
        let weighted = try DecodedTree(
            try plugin.train(data, ["max_depth": "1", "class_weight": "balanced"]).model
        )
        #expect(weighted.root.threshold == 5.5)
        // The same weights given explicitly, by class name and by index.
        let explicit = try DecodedTree(
            try plugin.train(data, ["max_depth": "1", "class_weight": "c0:0.6667,1:2"]).model
        )
        #expect(explicit.root.threshold == 5.5)
    }

    @Test("gini and entropy choose different splits where they disagree")
    func criteria() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        // Hand-checked: weighted gini is lowest at 5.5 (2.80 vs 2.93 at 3.5); weighted entropy at 3.5 (6.36 bits vs
        // 6.85 at 5.5).
        let data = line((1...8).map(Double.init), labels: [0, 2, 0, 1, 0, 1, 1, 1], classes: 3)
        let gini = try DecodedTree(try plugin.train(data, ["max_depth": "1"]).model)
        #expect(gini.root.threshold == 5.5)
        let entropy = try plugin.train(data, ["max_depth": "1", "criterion": "entropy"])
        #expect(try DecodedTree(entropy.model).root.threshold == 3.5)
        #expect(entropy.effectiveParameters["criterion"] == "entropy")
        let logLoss = try plugin.train(data, ["max_depth": "1", "criterion": "log_loss"])
        #expect(logLoss.model == entropy.model)
    }

    @Test("the same random_state gives the same model bytes; importances sum to 1")
    func determinism() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        let data = SyntheticData.noisy(rows: 400, features: 8, classes: 3, spacing: 1)
        let first = try plugin.train(data, seed: 7)
        let second = try plugin.train(data, seed: 7)
        #expect(first.model == second.model)
        let third = try plugin.train(data, ["random_state": "7"], seed: nil)
        #expect(third.model == first.model, "random_state as a parameter works as the request field")
        #expect(first.featureImportances.count == 8)
        #expect(abs(first.featureImportances.reduce(0, +) - 1) < 1e-12)
        #expect(first.featureImportances.allSatisfy { $0 >= 0 })
        let predicted = try plugin.predict(first.model, data)
        #expect(predicted.predictedClasses == data.labels, "an unlimited tree fits its training rows")
        for row in 0..<data.rowCount {
            let probabilities = predicted.probabilities[row * 3..<(row + 1) * 3]
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
        }
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test(
        "bad parameters are INVALID_ARGUMENT naming the parameter",
        arguments: [
            ("criterion", "gain"), ("max_depth", "0"), ("max_depth", "deep"), ("min_samples_split", "1"),
            ("min_samples_leaf", "0"), ("class_weight", "heavy"), ("class_weight", "nosuchclass:2"),
            ("random_state", "-1"), ("max_leaf_nodes", "4"),
        ]
    )
    func badParameters(_ name: String, _ value: String) throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        let outcome = try plugin.call("train", trainRequest(line([1, 2], labels: [0, 1]), [name: value]))
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(outcome.message.contains(name), "\(outcome.message)")
    }

    @Test("an unknown algorithm and a contradictory seed are INVALID_ARGUMENT")
    func badRequests() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        var request = trainRequest(line([1, 2], labels: [0, 1]))
        request.algorithm = "random-forest"
        #expect(try plugin.call("train", request).code == CRM_STATUS_INVALID_ARGUMENT)
        let contradiction = trainRequest(line([1, 2], labels: [0, 1]), ["random_state": "3"], seed: 4)
        let outcome = try plugin.call("train", contradiction)
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(outcome.message.contains("random_state"))
    }

    @Test("bad model bytes are FAILED_PRECONDITION with a clear message")
    func badModels() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        let good = Data([UInt8](try plugin.train(line([1, 2, 3, 4], labels: [0, 0, 1, 1])).model))
        var newer = good
        newer[4] = 2
        var badFeature = good
        badFeature[20] = 5  // the root tests feature 5 of 1
        var cycle = good
        cycle[24] = 0  // the root's right child is the root
        var badFractions = good
        withUnsafeBytes(of: (0.9).bitPattern.littleEndian) { badFractions.replaceSubrange(92..<100, with: $0) }
        let cases: [(Data, String)] = [
            (Data(), "magic"), (Data("not a tree".utf8), "magic"), (good.dropLast(), "bytes"),
            (newer, "version 2"), (badFeature, "feature"), (cycle, "children"), (badFractions, "sum to"),
        ]
        for (bytes, expected) in cases {
            var request = PredictRequest()
            request.model = bytes
            request.dataset = line([1], labels: [])
            let outcome = try plugin.call("predict", request)
            #expect(outcome.code == CRM_STATUS_FAILED_PRECONDITION)
            #expect(outcome.message.contains("decision-tree model"), "\(outcome.message)")
            #expect(outcome.message.contains(expected), "\(outcome.message)")
        }
        // Rows of the wrong width are INVALID_ARGUMENT.
        var request = PredictRequest()
        request.model = good
        request.dataset = Dataset(rows: [[1, 2]])
        #expect(try plugin.call("predict", request).code == CRM_STATUS_INVALID_ARGUMENT)
    }

    @Test("training reports progress and honours cancellation")
    func progressAndCancellation() throws {
        let plugin = try loadDecisionTree()
        defer { plugin.shutdown() }
        let data = SyntheticData.noisy(rows: 600, features: 4, classes: 3, spacing: 1)
        let call = TestCall()
        let outcome = try plugin.call("train", trainRequest(data), context: call)
        #expect(outcome.code == CRM_STATUS_OK)
        #expect(call.progress.last?.fraction == 1)
        #expect(call.progress.allSatisfy { $0.fraction >= 0 && $0.fraction <= 1 })
        let cancelled = try plugin.call("train", trainRequest(data), context: TestCall(cancelled: true))
        #expect(cancelled.code == CRM_STATUS_CANCELLED)
        #expect(plugin.outstandingBuffers == 0)
    }
}

import CRMPluginABI
import CRMPluginKit
import Foundation
import PluginTestSupport
import Testing

@Suite("neural-network plugin through the C ABI")
struct NeuralNetworkTests {
    @Test("describe lists neural-network with scikit-learn's MLPClassifier parameters and defaults")
    func describe() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        #expect(plugin.descriptorProblem == nil)
        #expect(plugin.name == "neural-network")
        let description = try plugin.call("describe", bytes: []).decoded(as: DescribeResponse.self)
        #expect(description.methods == ["describe", "train", "predict"])
        let algorithm = try #require(description.algorithms.first { $0.name == "neural-network" })
        #expect(algorithm.sklearnEquivalent == "sklearn.neural_network.MLPClassifier")
        #expect(algorithm.supportsProbabilities)
        #expect(algorithm.supportsProgress)
        #expect(!algorithm.supportsFeatureImportances)
        let parameters = Dictionary(uniqueKeysWithValues: algorithm.parameters.map { ($0.name, $0) })
        let defaults: [String: String] = [
            "hidden_layer_sizes": "100", "activation": "relu", "solver": "adam", "alpha": "0.0001",
            "batch_size": "auto", "learning_rate_init": "0.001", "max_iter": "200", "tol": "0.0001",
            "n_iter_no_change": "10", "early_stopping": "false", "validation_fraction": "0.1", "beta_1": "0.9",
            "beta_2": "0.999", "epsilon": "1e-08", "shuffle": "true", "random_state": "None",
        ]
        #expect(Set(parameters.keys) == Set(defaults.keys))
        for (name, value) in defaults {
            #expect(parameters[name]?.defaultValue == value, "\(name)")
        }
        #expect(parameters["hidden_layer_sizes"]?.type == .intList)
        #expect(parameters["activation"]?.allowedValues.contains("relu") == true)
        #expect(parameters["random_state"]?.nullable == true)
        for parameter in algorithm.parameters {
            #expect(!parameter.description_p.isEmpty, "\(parameter.name) is documented")
        }
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test("XOR is learnt to 100% with a hidden ReLU layer, and not by a linear (identity) network")
    func xor() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let data = SyntheticData.xor(copies: 25)
        let corners = Dataset(rows: [[0, 0], [0, 1], [1, 0], [1, 1]], labels: [0, 1, 1, 0])
        let parameters = ["hidden_layer_sizes": "16", "learning_rate_init": "0.01", "max_iter": "500"]
        let trained = try plugin.train(data, parameters)
        #expect(trained.metrics["train_accuracy"] == 1)
        let predicted = try plugin.predict(trained.model, corners)
        #expect(predicted.predictedClasses == [0, 1, 1, 0])
        #expect(predicted.nClasses == 2)
        #expect(try ModelHeader(trained.model).units == [2, 16, 2])
        var linear = parameters
        linear["activation"] = "identity"
        let flat = try plugin.train(data, linear)
        #expect(try #require(flat.metrics["train_accuracy"]) <= 0.75, "a linear model cannot separate XOR")
    }

    @Test("a linearly separable problem: 100% accuracy, confident probabilities summing to 1")
    func separable() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let data = SyntheticData.blobs(rows: 200)
        let trained = try plugin.train(data, ["hidden_layer_sizes": "8", "learning_rate_init": "0.01"])
        #expect(trained.metrics["train_accuracy"] == 1)
        #expect(trained.featureImportances.isEmpty)
        #expect(trained.nIterations >= 1)
        #expect(trained.lossCurve.count == Int(trained.nIterations))
        #expect(trained.metrics["final_loss"] == trained.lossCurve.last)
        let firstLoss = try #require(trained.lossCurve.first)
        #expect(try #require(trained.lossCurve.last) < firstLoss)
        #expect(trained.effectiveParameters["hidden_layer_sizes"] == "8")
        #expect(trained.effectiveParameters["batch_size"] == "200")
        #expect(trained.effectiveParameters["random_state"] == "0")
        let test = Dataset(rows: [[-3, -2], [-1, -1.5], [1.5, 1], [2, 3]], labels: [0, 0, 1, 1])
        let predicted = try plugin.predict(trained.model, test)
        #expect(predicted.predictedClasses == [0, 0, 1, 1])
        #expect(predicted.probabilities.count == 8)
        for row in 0..<4 {
            let probabilities = predicted.probabilities[row * 2..<row * 2 + 2]
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
            #expect(probabilities.max()! > 0.9)
        }
    }

    @Test("a class without training rows still gets a probability column, near 0, and is never predicted")
    func emptyClass() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        var data = SyntheticData.blobs(rows: 100)
        data.classNames = ["a", "b", "never"]
        let trained = try plugin.train(data, ["hidden_layer_sizes": "8", "learning_rate_init": "0.01"])
        let predicted = try plugin.predict(trained.model, data)
        #expect(predicted.nClasses == 3)
        #expect(predicted.probabilities.count == 300)
        #expect(!predicted.predictedClasses.contains(2))
        for row in 0..<100 {
            #expect(predicted.probabilities[row * 3 + 2] < 0.05)
        }
    }

    @Test("the same random_state gives the same model bytes, another seed other bytes")
    func determinism() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let data = SyntheticData.noisy(rows: 300, features: 5, classes: 3, spacing: 0.5)
        let parameters = ["hidden_layer_sizes": "16,8", "max_iter": "20"]
        let first = try plugin.train(data, parameters, seed: 7)
        let second = try plugin.train(data, parameters, seed: 7)
        #expect(first.model == second.model)
        #expect(first.lossCurve == second.lossCurve)
        var asParameter = parameters
        asParameter["random_state"] = "7"
        let third = try plugin.train(data, asParameter, seed: nil)
        #expect(third.model == first.model, "random_state as a parameter works as the request field")
        let other = try plugin.train(data, parameters, seed: 8)
        #expect(other.model != first.model)
        #expect(try ModelHeader(first.model).units == [5, 16, 8, 3])
        let unseeded = try plugin.train(data, parameters, seed: nil)
        #expect(unseeded.effectiveParameters["random_state"] != nil)
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test("max_iter reached: the ConvergenceWarning as a note; the loss curve has one loss per epoch")
    func notConverged() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let data = SyntheticData.noisy(rows: 200, features: 4, classes: 3, spacing: 0.5)
        let trained = try plugin.train(data, ["hidden_layer_sizes": "8", "max_iter": "5"])
        #expect(trained.nIterations == 5)
        #expect(trained.lossCurve.count == 5)
        #expect(trained.notes.contains { $0.contains("did not converge after 5 iterations") }, "\(trained.notes)")
        // A generous tolerance: converged (stopped by the rule) well before max_iter, and no note.
        let easy = try plugin.train(data, ["hidden_layer_sizes": "8", "tol": "0.5", "n_iter_no_change": "2"])
        // Epoch 1 sets the best loss; epochs 2, 3 and 4 do not improve by 0.5, and the fourth is more than 2.
        #expect(easy.nIterations == 4)
        #expect(!easy.notes.contains { $0.contains("did not converge") })
    }

    @Test("early stopping stops before max_iter and keeps the weights of the best validation epoch")
    func earlyStopping() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let data = SyntheticData.noisy(rows: 400, features: 6, classes: 3, spacing: 0.5)
        let parameters = [
            "hidden_layer_sizes": "32", "early_stopping": "true", "n_iter_no_change": "5", "max_iter": "300",
            "validation_fraction": "0.2", "learning_rate_init": "0.01",
        ]
        let trained = try plugin.train(data, parameters)
        #expect(trained.nIterations < 300)
        let best = try #require(trained.metrics["best_validation_iteration"])
        let score = try #require(trained.metrics["best_validation_score"])
        #expect(score > 0.5 && score <= 1)
        #expect(Int(best) >= 1 && Int(best) < Int(trained.nIterations))
        #expect(!trained.notes.contains { $0.contains("did not converge") })
        // Training for exactly the best epoch's count ends on the best epoch: the same weights.
        var shorter = parameters
        shorter["max_iter"] = String(Int(best))
        let atBest = try plugin.train(data, shorter)
        #expect(atBest.model == trained.model, "the best epoch's weights are restored")
        #expect(atBest.metrics["best_validation_score"] == score)
        // The weights of the last epoch are not those.
        var withoutRestore = parameters
        withoutRestore["early_stopping"] = "false"
        withoutRestore["max_iter"] = String(trained.nIterations)
        #expect(try plugin.train(data, withoutRestore).model != trained.model)
    }

    @Test(
        "bad parameters are INVALID_ARGUMENT naming the parameter",
        arguments: [
            ("hidden_layer_sizes", "0"), ("hidden_layer_sizes", "64,x"), ("activation", "softplus"),
            ("solver", "sgd"), ("alpha", "-1"), ("batch_size", "0"), ("batch_size", "big"),
            ("learning_rate_init", "0"), ("max_iter", "0"), ("tol", "-0.1"), ("n_iter_no_change", "0"),
            ("early_stopping", "maybe"), ("validation_fraction", "1"), ("beta_1", "1"), ("beta_2", "1.5"),
            ("epsilon", "0"), ("shuffle", "sometimes"), ("random_state", "-1"), ("momentum", "0.9"),
        ]
    )
    func badParameters(_ name: String, _ value: String) throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let outcome = try plugin.call("train", trainRequest(SyntheticData.blobs(rows: 20), [name: value]))
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(outcome.message.contains(name), "\(outcome.message)")
    }

    /// Issue 9, finding 3: `65536,65536` passed the per-layer bound, asked for 34 GB and aborted crmd.
    @Test(
        "layer sizes that would need more than the memory limit are refused before anything is allocated",
        arguments: [
            "65536,65536", "4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096",
        ]
    )
    func memoryHungryNetwork(_ layers: String) throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let outcome = try plugin.call(
            "train",
            trainRequest(SyntheticData.blobs(rows: 20), ["hidden_layer_sizes": layers])
        )
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(outcome.message.contains("hidden_layer_sizes"), "\(outcome.message)")
        #expect(outcome.message.contains("GiB"), "\(outcome.message)")
    }

    @Test("the process's memory limit from the host bounds the network, before anything is allocated")
    func hostMemoryLimit() throws {
        let plugin = try LoadedPlugin(product: "crmplugin-neural-network")
        var config = PluginConfig()
        config.memoryLimitBytes = 1 << 30
        try plugin.initialize(config)
        defer { plugin.shutdown() }
        // 16.8 million weights: about 0.5 GiB to train, over what 1 GiB leaves after the runtime.
        let big = try plugin.call(
            "train",
            trainRequest(SyntheticData.blobs(rows: 20), ["hidden_layer_sizes": "4096,4096"])
        )
        #expect(big.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(big.message.contains("plugin_host.memory_limit"), "\(big.message)")
        // A network that fits trains as before.
        let small = try plugin.call("train", trainRequest(SyntheticData.blobs(rows: 20), ["hidden_layer_sizes": "8"]))
        #expect(small.code == CRM_STATUS_OK, "\(small.message)")
    }

    @Test("an unknown algorithm, a contradictory seed and a too small validation split are INVALID_ARGUMENT")
    func badRequests() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        var request = trainRequest(SyntheticData.blobs(rows: 20))
        request.algorithm = "decision-tree"
        #expect(try plugin.call("train", request).code == CRM_STATUS_INVALID_ARGUMENT)
        let contradiction = trainRequest(SyntheticData.blobs(rows: 20), ["random_state": "3"], seed: 4)
        let outcome = try plugin.call("train", contradiction)
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(outcome.message.contains("random_state"))
        // One row: the validation row (rounded up) leaves none to train on.
        let tiny = trainRequest(Dataset(rows: [[0]], labels: [0]), ["early_stopping": "true"])
        let split = try plugin.call("train", tiny)
        #expect(split.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(split.message.contains("validation_fraction"), "\(split.message)")
        var unweighted = SyntheticData.blobs(rows: 20)
        unweighted.sampleWeights = [Double](repeating: 0, count: 20)
        #expect(try plugin.call("train", trainRequest(unweighted)).code == CRM_STATUS_INVALID_ARGUMENT)
    }

    @Test("bad model bytes are FAILED_PRECONDITION with a clear message; an unknown format version is refused")
    func badModels() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let good = Data([UInt8](try plugin.train(SyntheticData.blobs(rows: 20), ["hidden_layer_sizes": "3"]).model))
        // Header 12 bytes, units 3 × 4 bytes, then the first weight.
        #expect(good.count == 24 + 8 * (2 * 3 + 3 + 3 * 2 + 2))
        var newer = good
        newer[4] = 2
        var badActivation = good
        badActivation[6] = 9
        var noUnits = good
        noUnits[16] = 0
        var notFinite = good
        withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { notFinite.replaceSubrange(24..<32, with: $0) }
        let cases: [(Data, String)] = [
            (Data(), "magic"), (Data("not a network".utf8), "magic"), (good.dropLast(), "bytes"),
            (newer, "version 2"), (badActivation, "activation"), (noUnits, "layer sizes"), (notFinite, "nan"),
        ]
        for (bytes, expected) in cases {
            var request = PredictRequest()
            request.model = bytes
            request.dataset = Dataset(rows: [[1, 2]])
            let outcome = try plugin.call("predict", request)
            #expect(outcome.code == CRM_STATUS_FAILED_PRECONDITION)
            #expect(outcome.message.contains("neural-network model"), "\(outcome.message)")
            #expect(outcome.message.contains(expected), "\(outcome.message)")
        }
        // Rows of the wrong width are INVALID_ARGUMENT.
        var request = PredictRequest()
        request.model = good
        request.dataset = Dataset(rows: [[1, 2, 3]])
        #expect(try plugin.call("predict", request).code == CRM_STATUS_INVALID_ARGUMENT)
    }

    @Test("training reports progress per epoch and honours cancellation")
    func progressAndCancellation() throws {
        let plugin = try loadNeuralNetwork()
        defer { plugin.shutdown() }
        let data = SyntheticData.noisy(rows: 300, features: 4, classes: 3, spacing: 0.5)
        let call = TestCall()
        let outcome = try plugin.call("train", trainRequest(data, ["hidden_layer_sizes": "8"]), context: call)
        #expect(outcome.code == CRM_STATUS_OK)
        #expect(call.progress.first?.message?.hasPrefix("epoch 1/200") == true)
        #expect(call.progress.last?.fraction == 1)
        #expect(call.progress.allSatisfy { $0.fraction >= 0 && $0.fraction <= 1 })
        let cancelled = try plugin.call("train", trainRequest(data), context: TestCall(cancelled: true))
        #expect(cancelled.code == CRM_STATUS_CANCELLED)
        #expect(plugin.outstandingBuffers == 0)
    }
}

import CRMPluginABI
import CRMPluginKit
import Foundation
import PluginTestSupport
import Synchronization
import Testing

/// The svm plugin (Plugins/svm), loaded as the host loads it and driven through the C ABI.
@Suite("svm plugin through the ABI")
struct SVMPluginTests {
    static let kernels = ["linear", "rbf"]

    func load() throws -> LoadedPlugin {
        let plugin = try LoadedPlugin(product: "crmplugin-svm")
        #expect(plugin.descriptorProblem == nil)
        #expect(try plugin.initialize().code == CRM_STATUS_OK)
        return plugin
    }

    func request(_ dataset: Dataset, kernel: String, _ parameters: [String: String] = [:]) -> TrainRequest {
        var train = TrainRequest()
        train.algorithm = "svm"
        train.dataset = dataset
        train.parameters = parameters.merging(["kernel": kernel]) { first, _ in first }
        return train
    }

    @Test("describe lists the svm algorithm and its parameters")
    func describe() throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        #expect(plugin.name == "svm")
        let description = try plugin.call("describe", bytes: []).decoded(as: DescribeResponse.self)
        #expect(description.methods == ["describe", "train", "predict"])
        let algorithm = try #require(description.algorithms.first { $0.name == "svm" })
        #expect(algorithm.supportsProbabilities)
        let names = algorithm.parameters.map(\.name)
        #expect(names == ["kernel", "C", "gamma", "tol", "max_iter", "random_state"])
        let kernel = try #require(algorithm.parameters.first { $0.name == "kernel" })
        #expect(kernel.defaultValue == "rbf")
        #expect(Set(kernel.allowedValues) == ["rbf", "linear"])
        #expect(algorithm.parameters.first { $0.name == "C" }?.defaultValue == "1.0")
        #expect(algorithm.parameters.first { $0.name == "gamma" }?.defaultValue == "scale")
        for parameter in algorithm.parameters {
            #expect(!parameter.description_p.isEmpty, "\(parameter.name) is documented")
        }
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test("Linearly separable data is learnt exactly", arguments: kernels)
    func separable(_ kernel: String) throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        // Two classes on either side of the plane x0 + x1 = 0, with a margin.
        var random = SplitMix64(seed: 3)
        var data = Dataset()
        data.classNames = ["negative", "positive"]
        data.nFeatures = 2
        var rows = 0
        while rows < 200 {
            let a = Double(random.next() % 20_000) / 1000 - 10
            let b = Double(random.next() % 20_000) / 1000 - 10
            guard abs(a + b) > 1 else { continue }
            data.values += [a, b]
            data.labels.append(a + b > 0 ? 1 : 0)
            rows += 1
        }
        data.nRows = Int32(rows)
        let call = TestCall()
        let trained = try plugin.call("train", request(data, kernel: kernel), context: call)
            .decoded(as: TrainResponse.self)
        #expect(trained.metrics["train_accuracy"] == 1.0, "\(trained.metrics)")
        #expect(call.progress.last?.fraction == 1)
        #expect(trained.effectiveParameters["kernel"] == kernel)

        var predict = PredictRequest()
        predict.model = trained.model
        predict.dataset = data
        predict.dataset.labels = []
        predict.wantDecisionScores = true
        let predicted = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        #expect(predicted.predictedClasses == data.labels)
        #expect(predicted.nScoreColumns == 1)
        #expect(predicted.decisionScores.count == rows)
        for row in 0..<rows {
            #expect((predicted.decisionScores[row] > 0) == (data.labels[row] == 1))
            let p = predicted.probabilities[row * 2..<row * 2 + 2]
            #expect(abs(p.reduce(0, +) - 1) < 1e-9)
            #expect((p[row * 2 + 1] > 0.5) == (data.labels[row] == 1))
        }
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test("Three blobs: multi-class (one-vs-rest linear, one-vs-one RBF)", arguments: kernels)
    func threeBlobs(_ kernel: String) throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        let trained = try plugin.call(
            "train",
            request(SyntheticData.blobs(rows: 300, features: 4, classes: 3), kernel: kernel)
        ).decoded(as: TrainResponse.self)
        #expect(trained.metrics["train_accuracy"].map { $0 > 0.97 } == true, "\(trained.metrics)")
        var predict = PredictRequest()
        predict.model = trained.model
        let test = SyntheticData.blobs(rows: 90, features: 4, classes: 3, seed: 99)
        predict.dataset = test
        predict.dataset.labels = []
        predict.wantDecisionScores = true
        let predicted = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        #expect(predicted.nClasses == 3)
        #expect(predicted.nScoreColumns == 3)
        #expect(predicted.decisionScores.count == 90 * 3)
        #expect(predicted.probabilities.count == 90 * 3)
        let correct = zip(predicted.predictedClasses, test.labels).filter { $0 == $1 }.count
        #expect(correct >= 87, "\(correct)/90 correct")
        for row in 0..<90 {
            let probabilities = Array(predicted.probabilities[row * 3..<(row + 1) * 3])
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9)
            let scores = Array(predicted.decisionScores[row * 3..<(row + 1) * 3])
            let best = scores.indices.max { scores[$0] < scores[$1] }!
            #expect(Int32(best) == predicted.predictedClasses[row], "the top score is the predicted class")
        }
    }

    @Test("Training is deterministic", arguments: kernels)
    func deterministic(_ kernel: String) throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        var train = request(SyntheticData.blobs(rows: 120, features: 3, classes: 3), kernel: kernel)
        train.randomState = 5
        let first = try plugin.call("train", train).decoded(as: TrainResponse.self)
        let second = try plugin.call("train", train).decoded(as: TrainResponse.self)
        #expect(first.model == second.model)
        train.seed = nil
        let third = try plugin.call("train", train).decoded(as: TrainResponse.self)
        let fourth = try plugin.call("train", train).decoded(as: TrainResponse.self)
        #expect(third.model == fourth.model, "unset random_state is seed 0")
    }

    @Test(
        "Bad parameters are INVALID_ARGUMENT naming the parameter",
        arguments: [
            ("kernel", "poly"), ("C", "0"), ("C", "-1"), ("C", "abc"), ("gamma", "0"), ("gamma", "big"),
            ("tol", "0"), ("max_iter", "0"), ("max_iter", "1.5"), ("random_state", "-3"), ("max_depth", "3"),
        ]
    )
    func badParameters(_ parameter: (String, String)) throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        let train = request(
            SyntheticData.blobs(rows: 20, features: 2, classes: 2),
            kernel: "rbf",
            [parameter.0: parameter.1]
        )
        let outcome = try plugin.call("train", train)
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(outcome.message.contains("\"\(parameter.0)\""), "\(outcome.message)")
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test("An unknown algorithm and an inconsistent dataset are INVALID_ARGUMENT")
    func badRequests() throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        var train = request(SyntheticData.blobs(rows: 20, features: 2, classes: 2), kernel: "rbf")
        train.algorithm = "svc"
        #expect(try plugin.call("train", train).code == CRM_STATUS_INVALID_ARGUMENT)
        train.algorithm = "svm"
        train.dataset.values.removeLast()
        #expect(try plugin.call("train", train).code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(plugin.call("train", bytes: [0xFF, 0xFF, 0xFF]).code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(plugin.call("evaluate", bytes: []).code == CRM_STATUS_UNIMPLEMENTED)
    }

    @Test("Bad model bytes are FAILED_PRECONDITION", arguments: kernels)
    func badModel(_ kernel: String) throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        let data = SyntheticData.blobs(rows: 60, features: 3, classes: 3)
        let model = try plugin.call("train", request(data, kernel: kernel)).decoded(as: TrainResponse.self).model
        var predict = PredictRequest()
        predict.dataset = data
        var corrupt: [Data] = [Data(), Data("not a model".utf8), model.prefix(model.count - 1), model + Data([0])]
        var badVersion = model
        badVersion[badVersion.startIndex + 4] = 99
        corrupt.append(badVersion)
        var badMagic = model
        badMagic[badMagic.startIndex] = UInt8(ascii: "X")
        corrupt.append(badMagic)
        var notFinite = model
        let nan = Double.nan.bitPattern
        for i in 0..<8 { notFinite[notFinite.endIndex - 8 + i] = UInt8(truncatingIfNeeded: nan >> (8 * UInt64(i))) }
        corrupt.append(notFinite)
        for bytes in corrupt {
            predict.model = bytes
            #expect(try plugin.call("predict", predict).code == CRM_STATUS_FAILED_PRECONDITION)
        }
        predict.model = model
        #expect(try plugin.call("predict", predict).code == CRM_STATUS_OK)
        predict.dataset = SyntheticData.blobs(rows: 10, features: 4, classes: 3)
        #expect(try plugin.call("predict", predict).code == CRM_STATUS_INVALID_ARGUMENT, "feature count differs")
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test("A cancelled call stops with CANCELLED", arguments: kernels)
    func cancelled(_ kernel: String) throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        let call = TestCall(cancelled: true)
        let outcome = try plugin.call(
            "train",
            request(SyntheticData.blobs(rows: 200, features: 3, classes: 3), kernel: kernel),
            context: call
        )
        #expect(outcome.code == CRM_STATUS_CANCELLED, "\(outcome.message)")
        #expect(plugin.outstandingBuffers == 0)
    }
}

@Suite("svm plugin: concurrency, weights, empty classes")
struct SVMPluginMoreTests {
    func load() throws -> LoadedPlugin {
        let plugin = try LoadedPlugin(product: "crmplugin-svm")
        #expect(try plugin.initialize().code == CRM_STATUS_OK)
        return plugin
    }

    @Test("Concurrent train calls on one state give identical models", arguments: SVMPluginTests.kernels)
    func concurrent(_ kernel: String) throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = "svm"
        train.parameters = ["kernel": kernel]
        train.dataset = SyntheticData.blobs(rows: 150, features: 3, classes: 3)
        let request: [UInt8] = try train.serializedBytes()
        let expected = try plugin.call("train", bytes: request).decoded(as: TrainResponse.self).model
        nonisolated(unsafe) let descriptor = plugin.descriptor
        nonisolated(unsafe) let state = plugin.state
        let results = Mutex<[Data?]>(Array(repeating: nil, count: 8))
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            var response = crm_plugin_buffer()
            var error = crm_plugin_error()
            let status = request.withUnsafeBufferPointer {
                descriptor.pointee.call!(state, "train", $0.baseAddress, $0.count, nil, &response, &error)
            }
            var model: Data? = nil
            if status == CRM_STATUS_OK, let data = response.data,
                let decoded = try? TrainResponse(
                    serializedBytes: Array(UnsafeBufferPointer(start: data, count: response.len))
                )
            {
                model = decoded.model
            }
            if let data = response.data { descriptor.pointee.free_buffer!(data, response.len) }
            if let data = error.message.data { descriptor.pointee.free_buffer!(data, error.message.len) }
            results.withLock { $0[index] = model }
        }
        for model in results.withLock({ $0 }) {
            #expect(model == expected)
        }
    }

    @Test("Rows of weight 0 do not count", arguments: SVMPluginTests.kernels)
    func zeroWeights(_ kernel: String) throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = "svm"
        train.parameters = ["kernel": kernel]
        // gamma='scale' uses the variance of every row, weighted or not (as scikit-learn): fix it here.
        train.parameters["gamma"] = "0.5"
        let base = SyntheticData.blobs(rows: 60, features: 2, classes: 2)
        train.dataset = base
        let plain = try plugin.call("train", train).decoded(as: TrainResponse.self).model
        // Add mislabelled rows with weight 0.
        var noisy = base
        noisy.values += [0, 0, 4, 4, 8, 8]
        noisy.labels += [1, 0, 1]
        noisy.nRows += 3
        noisy.sampleWeights = Array(repeating: 1, count: 60) + [0, 0, 0]
        train.dataset = noisy
        let weighted = try plugin.call("train", train).decoded(as: TrainResponse.self)
        var predict = PredictRequest()
        predict.dataset = SyntheticData.blobs(rows: 40, features: 2, classes: 2, seed: 9)
        predict.model = plain
        let first = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        predict.model = weighted.model
        let second = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        #expect(first.predictedClasses == second.predictedClasses)
        for (a, b) in zip(first.probabilities, second.probabilities) {
            #expect(abs(a - b) < 1e-6)
        }
    }

    @Test("A class without training rows is never predicted", arguments: SVMPluginTests.kernels)
    func emptyClass(_ kernel: String) throws {
        let plugin = try load()
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = "svm"
        train.parameters = ["kernel": kernel]
        var data = SyntheticData.blobs(rows: 60, features: 2, classes: 2)
        data.classNames.append("never")
        train.dataset = data
        let trained = try plugin.call("train", train).decoded(as: TrainResponse.self)
        var predict = PredictRequest()
        predict.model = trained.model
        predict.dataset = SyntheticData.blobs(rows: 40, features: 2, classes: 2, seed: 11)
        let predicted = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        #expect(predicted.nClasses == 3)
        #expect(!predicted.predictedClasses.contains(2))
        let correct = zip(predicted.predictedClasses, predict.dataset.labels).filter { $0 == $1 }.count
        #expect(correct >= 38, "\(correct)/40")
    }
}

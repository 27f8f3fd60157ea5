import CRMPluginABI
import CRMPluginKit
import Dispatch
import Foundation
import PluginTestSupport
import Testing

/// The shipped sample plugins, loaded with dlopen and driven through `crm_plugin.h` alone — what the host will
/// do, proven before the host exists.
@Suite("Sample plugins through the C ABI")
struct SamplePluginTests {
    struct Sample: CustomTestStringConvertible, Sendable {
        let product: String
        let name: String
        /// An algorithm that reports progress and honours cancellation.
        let algorithm: String
        let language: String

        var testDescription: String { "\(name) (\(language))" }
    }

    static let samples = [
        Sample(
            product: "crmplugin-nearest-centroid",
            name: "nearest-centroid",
            algorithm: "nearest-centroid",
            language: "Swift"
        ),
        Sample(product: "crmplugin-gaussian-nb", name: "gaussian-nb", algorithm: "gaussian-nb", language: "C"),
    ]

    /// Loads and initialises a sample.
    private func load(_ sample: Sample) throws -> LoadedPlugin {
        let plugin = try LoadedPlugin(product: sample.product)
        let outcome = try plugin.initialize()
        #expect(outcome.code == CRM_STATUS_OK, "init: \(outcome.message)")
        return plugin
    }

    @Test("The descriptor is valid and says who the plugin is", arguments: samples)
    func descriptor(_ sample: Sample) throws {
        let plugin = try LoadedPlugin(product: sample.product)
        #expect(plugin.descriptorProblem == nil)
        #expect(plugin.descriptor.pointee.magic == CRM_PLUGIN_MAGIC)
        #expect(plugin.descriptor.pointee.abi_major == 1)
        #expect(plugin.descriptor.pointee.abi_minor == 0)
        #expect(plugin.descriptor.pointee.struct_size == 88)
        #expect(plugin.descriptor.pointee.kind == CRM_PLUGIN_KIND_ANALYSIS)
        #expect(plugin.descriptor.pointee.flags & CRM_PLUGIN_FLAG_SERIAL == 0, "the samples allow concurrent calls")
        #expect(plugin.name == sample.name)
        #expect(plugin.version == "1.0.0")
        #expect(plugin.license == "Apache-2.0")
        #expect(!plugin.summary.isEmpty)
        #expect(plugin.entry() == plugin.descriptor, "the entry function returns the same descriptor every time")
    }

    @Test("describe lists the methods and the algorithms with scikit-learn parameters", arguments: samples)
    func describe(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        let description = try plugin.call("describe", bytes: []).decoded(as: DescribeResponse.self)
        #expect(description.methods == ["describe", "train", "predict"])
        let algorithm = try #require(description.algorithms.first { $0.name == sample.algorithm })
        #expect(algorithm.supportsProbabilities)
        #expect(algorithm.sklearnEquivalent.hasPrefix("sklearn."))
        #expect(!algorithm.parameters.isEmpty)
        for parameter in algorithm.parameters {
            #expect(!parameter.description_p.isEmpty, "\(parameter.name) is documented")
            #expect(parameter.type != .unspecified)
        }
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test("train then predict separates well separated classes", arguments: samples)
    func trainAndPredict(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        let training = SyntheticData.blobs(rows: 300, features: 5, classes: 3)
        var train = TrainRequest()
        train.algorithm = sample.algorithm
        train.dataset = training
        train.randomState = 7
        let call = TestCall()
        let trained = try plugin.call("train", train, context: call).decoded(as: TrainResponse.self)
        #expect(!trained.model.isEmpty)
        #expect(trained.metrics["train_accuracy"].map { $0 > 0.95 } == true, "\(trained.metrics)")
        #expect(!trained.effectiveParameters.isEmpty)
        #expect(call.progress.last?.fraction == 1, "progress ends at 100 %")

        var predict = PredictRequest()
        predict.model = trained.model
        predict.dataset = SyntheticData.blobs(rows: 90, features: 5, classes: 3, seed: 99)
        predict.dataset.labels = []
        let predicted = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        #expect(predicted.nClasses == 3)
        #expect(predicted.predictedClasses.count == 90)
        #expect(predicted.probabilities.count == 90 * 3)
        let truth = SyntheticData.blobs(rows: 90, features: 5, classes: 3, seed: 99).labels
        let correct = zip(predicted.predictedClasses, truth).filter { $0 == $1 }.count
        #expect(correct >= 88, "\(correct)/90 correct")
        for row in 0..<90 {
            let probabilities = predicted.probabilities[row * 3..<(row + 1) * 3]
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9)
        }
        #expect(plugin.outstandingBuffers == 0)
    }

    /// Found by scripts/fuzz.sh: a class with no training row has a log prior of -inf, which the
    /// Swift sample's JSON model encoding refused (training answered UNKNOWN).
    @Test("A class without training rows trains, round-trips and is never predicted", arguments: samples)
    func emptyClass(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = sample.algorithm
        train.dataset = SyntheticData.blobs(rows: 60, features: 3, classes: 2)
        train.dataset.classNames.append("never-seen")
        let trained = try plugin.call("train", train).decoded(as: TrainResponse.self)
        #expect(!trained.model.isEmpty)
        var predict = PredictRequest()
        predict.model = trained.model
        predict.dataset = SyntheticData.blobs(rows: 20, features: 3, classes: 2, seed: 5)
        predict.dataset.labels = []
        let predicted = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        #expect(predicted.nClasses == 3)
        #expect(!predicted.predictedClasses.contains(2))
    }

    @Test("Training is deterministic", arguments: samples)
    func deterministic(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = sample.algorithm
        train.dataset = SyntheticData.blobs(rows: 50, features: 3, classes: 2)
        train.randomState = 1
        let first = try plugin.call("train", train).decoded(as: TrainResponse.self)
        let second = try plugin.call("train", train).decoded(as: TrainResponse.self)
        #expect(first.model == second.model)
    }

    @Test("An unknown method is UNIMPLEMENTED, and the error message is freed", arguments: samples)
    func unknownMethod(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        let outcome = plugin.call("evaluate", bytes: [])
        #expect(outcome.code == CRM_STATUS_UNIMPLEMENTED)
        #expect(outcome.message.contains("evaluate"))
        #expect(plugin.outstandingBuffers == 0)
    }

    @Test("Bytes that do not decode are INVALID_ARGUMENT", arguments: samples)
    func undecodable(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        // Field 1 (a string) announced with a length far past the end.
        let outcome = plugin.call("train", bytes: [0x0A, 0xFF, 0x01, 0x41])
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT, "\(outcome.message)")
    }

    @Test("Requests that break the dataset's rules are INVALID_ARGUMENT", arguments: samples)
    func inconsistentDataset(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = sample.algorithm
        train.dataset = SyntheticData.blobs(rows: 10, features: 2, classes: 2)
        train.dataset.values.removeLast()
        #expect(try plugin.call("train", train).code == CRM_STATUS_INVALID_ARGUMENT)

        train.dataset = SyntheticData.blobs(rows: 10, features: 2, classes: 2)
        train.dataset.labels[3] = 5
        let outcome = try plugin.call("train", train)
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(outcome.message.contains("row 3"))

        train.dataset = SyntheticData.blobs(rows: 10, features: 2, classes: 2)
        train.dataset.values[4] = .nan
        #expect(try plugin.call("train", train).code == CRM_STATUS_INVALID_ARGUMENT)
    }

    @Test("Unknown algorithms and parameters are INVALID_ARGUMENT, naming them", arguments: samples)
    func badParameters(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = "no-such-algorithm"
        train.dataset = SyntheticData.blobs(rows: 10, features: 2, classes: 2)
        var outcome = try plugin.call("train", train)
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(outcome.message.contains("no-such-algorithm"))

        train.algorithm = sample.algorithm
        train.parameters = ["max_dept": "3"]
        outcome = try plugin.call("train", train)
        #expect(outcome.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(outcome.message.contains("max_dept"))
    }

    @Test("Model bytes the plugin did not write are FAILED_PRECONDITION", arguments: samples)
    func foreignModel(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        var predict = PredictRequest()
        predict.model = Data("not a model".utf8)
        predict.dataset = SyntheticData.blobs(rows: 3, features: 2, classes: 2)
        #expect(try plugin.call("predict", predict).code == CRM_STATUS_FAILED_PRECONDITION)
    }

    @Test("A cancelled call stops with CANCELLED", arguments: samples)
    func cancelled(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = sample.algorithm
        train.dataset = SyntheticData.blobs(rows: 100, features: 3, classes: 2)
        let call = TestCall(cancelled: true)
        let outcome = try plugin.call("train", train, context: call)
        #expect(outcome.code == CRM_STATUS_CANCELLED, "\(outcome.message)")
    }

    @Test("Concurrent calls on one state give the same answers", arguments: samples)
    func concurrentCalls(_ sample: Sample) throws {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = sample.algorithm
        train.dataset = SyntheticData.blobs(rows: 200, features: 4, classes: 3)
        let model = try plugin.call("train", train).decoded(as: TrainResponse.self).model
        var predict = PredictRequest()
        predict.model = model
        predict.dataset = SyntheticData.blobs(rows: 500, features: 4, classes: 3, seed: 5)
        let request: [UInt8] = try predict.serializedBytes()
        let expected = try plugin.call("predict", bytes: request).decoded(as: PredictResponse.self)

        let results = ConcurrentResults(count: 16)
        let target = CallTarget(descriptor: plugin.descriptor, state: plugin.state)
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            results.set(index, target.call("predict", request))
        }
        for result in results.all {
            #expect(try PredictResponse(serializedBytes: result) == expected)
        }
    }

    @Test("init reports bad configuration bytes; shutdown then init again works (a reload)", arguments: samples)
    func initFailureAndReload(_ sample: Sample) throws {
        let plugin = try LoadedPlugin(product: sample.product)
        let failed = plugin.initialize(config: [0x0A, 0x05, 0x01])
        #expect(failed.code == CRM_STATUS_INVALID_ARGUMENT)
        #expect(!failed.message.isEmpty)
        #expect(plugin.outstandingBuffers == 0)

        for _ in 0..<2 {
            #expect(try plugin.initialize().code == CRM_STATUS_OK)
            #expect(plugin.call("describe", bytes: []).code == CRM_STATUS_OK)
            plugin.shutdown()
        }
    }

    @Test("The C sample logs settings it does not know through the host")
    func logging() throws {
        let plugin = try LoadedPlugin(product: "crmplugin-gaussian-nb")
        var config = PluginConfig()
        config.settings = ["colour": "blue"]
        #expect(try plugin.initialize(config).code == CRM_STATUS_OK)
        defer { plugin.shutdown() }
        #expect(plugin.host.logged.contains { $0.level == CRM_LOG_WARNING && $0.message.contains("colour") })
    }

    @Test("The Swift sample logs through the host")
    func swiftLogging() throws {
        let plugin = try LoadedPlugin(product: "crmplugin-nearest-centroid")
        #expect(try plugin.initialize().code == CRM_STATUS_OK)
        defer { plugin.shutdown() }
        #expect(plugin.host.logged.contains { $0.level == CRM_LOG_DEBUG && $0.message.contains("loaded") })
    }

    /// Classes and probabilities scikit-learn 1.9 gives on a small problem (`GaussianNB()` and
    /// `NearestCentroid(shrink_threshold=0.2)`): the samples implement the same estimators, not look-alikes.
    @Test(
        "The samples agree with scikit-learn",
        arguments: [
            (
                Self.samples[1], [String: String](), [0, 1, 2, 1] as [Int32],
                [
                    0.999999999991, 9e-12, 0.0, 0.0, 1.0, 0.0, 0.000242233994, 0.0, 0.999757766006, 0.427847985053,
                    0.572152014947, 0.0,
                ]
            ),
            (
                Self.samples[0], ["shrink_threshold": "0.2"], [0, 1, 2, 0] as [Int32],
                [
                    0.999999997936, 0.0, 2.064e-09, 0.0, 1.0, 0.0, 7.1626203e-05, 0.0, 0.999928373797, 0.878169496415,
                    0.121519629491, 0.000310874095,
                ]
            ),
        ]
    )
    func scikitLearnParity(
        _ sample: Sample,
        parameters: [String: String],
        classes: [Int32],
        probabilities: [Double]
    )
        throws
    {
        let plugin = try load(sample)
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = sample.algorithm
        train.parameters = parameters
        train.dataset = Dataset(
            featureNames: ["x", "y"],
            rows: [[0, 1], [0.5, 1.5], [1, 0.5], [3, 3.5], [3.5, 2.5], [4, 4], [0, 4], [0.5, 3.5]],
            labels: [0, 0, 0, 1, 1, 1, 2, 2],
            classNames: ["a", "b", "c"]
        )
        var predict = PredictRequest()
        predict.model = try plugin.call("train", train).decoded(as: TrainResponse.self).model
        predict.dataset = Dataset(featureNames: ["x", "y"], rows: [[1, 1], [3, 3], [0.2, 3], [2, 2]])
        let predicted = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        #expect(predicted.predictedClasses == classes)
        #expect(
            zip(predicted.probabilities, probabilities).allSatisfy { abs($0 - $1) < 1e-9 },
            "\(predicted.probabilities)"
        )
    }

    @Test("majority-class predicts the most frequent class with the class frequencies")
    func majorityClass() throws {
        let plugin = try load(Self.samples[0])
        defer { plugin.shutdown() }
        var train = TrainRequest()
        train.algorithm = "majority-class"
        train.dataset = Dataset(
            featureNames: ["x"],
            rows: [[0], [1], [2], [3]],
            labels: [1, 1, 1, 0],
            classNames: ["a", "b"]
        )
        let trained = try plugin.call("train", train).decoded(as: TrainResponse.self)
        #expect(trained.metrics["train_accuracy"] == 0.75)
        var predict = PredictRequest()
        predict.model = trained.model
        predict.dataset = Dataset(featureNames: ["x"], rows: [[9]])
        let predicted = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        #expect(predicted.predictedClasses == [1])
        #expect(predicted.probabilities == [0.25, 0.75])
    }
}

/// A plugin's descriptor and state, to call from several threads: the ABI allows it unless the descriptor sets
/// CRM_PLUGIN_FLAG_SERIAL.
private struct CallTarget: @unchecked Sendable {
    let descriptor: UnsafePointer<crm_plugin_descriptor>
    let state: UnsafeMutableRawPointer?

    /// One `call` straight through the function pointer; returns the response bytes.
    func call(_ method: String, _ request: [UInt8]) -> [UInt8] {
        callDirectly(descriptor, state, method, request)
    }
}

private func callDirectly(
    _ descriptor: UnsafePointer<crm_plugin_descriptor>,
    _ state: UnsafeMutableRawPointer?,
    _ method: String,
    _ request: [UInt8]
) -> [UInt8] {
    var response = crm_plugin_buffer()
    var error = crm_plugin_error()
    let status = request.withUnsafeBufferPointer {
        descriptor.pointee.call!(state, method, $0.baseAddress, $0.count, nil, &response, &error)
    }
    defer {
        if let data = response.data { descriptor.pointee.free_buffer!(data, response.len) }
        if let data = error.message.data { descriptor.pointee.free_buffer!(data, error.message.len) }
    }
    guard status == CRM_STATUS_OK, let data = response.data else {
        return []
    }
    return Array(UnsafeBufferPointer(start: data, count: response.len))
}

/// Results written by concurrent iterations.
private final class ConcurrentResults: @unchecked Sendable {
    private var results: [[UInt8]]
    private let lock = NSLock()

    init(count: Int) {
        results = Array(repeating: [], count: count)
    }

    func set(_ index: Int, _ value: [UInt8]) {
        lock.withLock { results[index] = value }
    }

    var all: [[UInt8]] {
        lock.withLock { results }
    }
}

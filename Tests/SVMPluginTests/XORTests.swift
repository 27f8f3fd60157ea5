import CRMPluginABI
import CRMPluginKit
import PluginTestSupport
import Testing

/// XOR: no line separates it, the RBF kernel does.
@Suite("svm plugin on XOR")
struct XORTests {
    /// Points on a grid in the four quadrants (never on an axis); the class is whether x and y differ in sign.
    static func xor(offset: Double) -> Dataset {
        var data = Dataset()
        data.classNames = ["same", "different"]
        data.nFeatures = 2
        let steps = [0.25, 0.5, 0.75, 1.0, 1.25].map { $0 + offset }
        for signX in [-1.0, 1.0] {
            for signY in [-1.0, 1.0] {
                for a in steps {
                    for b in steps {
                        data.values += [signX * a, signY * b]
                        data.labels.append(signX == signY ? 0 : 1)
                    }
                }
            }
        }
        data.nRows = Int32(data.labels.count)
        return data
    }

    func accuracy(kernel: String) throws -> (train: Double, test: Double) {
        let plugin = try LoadedPlugin(product: "crmplugin-svm")
        defer { plugin.shutdown() }
        #expect(try plugin.initialize().code == CRM_STATUS_OK)
        var train = TrainRequest()
        train.algorithm = "svm"
        train.dataset = Self.xor(offset: 0)
        train.parameters = ["kernel": kernel, "C": "10"]
        let trained = try plugin.call("train", train).decoded(as: TrainResponse.self)
        var predict = PredictRequest()
        predict.model = trained.model
        predict.dataset = Self.xor(offset: 0.1)
        let predicted = try plugin.call("predict", predict).decoded(as: PredictResponse.self)
        let correct = zip(predicted.predictedClasses, predict.dataset.labels).filter { $0 == $1 }.count
        return (trained.metrics["train_accuracy"] ?? -1, Double(correct) / Double(predict.dataset.labels.count))
    }

    @Test("the RBF kernel learns XOR and classifies new points of it")
    func rbfLearnsXOR() throws {
        let result = try accuracy(kernel: "rbf")
        #expect(result.train == 1, "\(result)")
        #expect(result.test == 1, "\(result)")
    }

    @Test("a linear SVM cannot: at most three quadrants right")
    func linearCannot() throws {
        let result = try accuracy(kernel: "linear")
        #expect(result.train <= 0.75, "\(result)")
    }
}

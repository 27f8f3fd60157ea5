import CRMPluginKit
import Testing

@Suite("Dataset")
struct DatasetTests {
    private var valid: Dataset {
        Dataset(
            featureNames: ["a", "b"],
            rows: [[1, 2], [3, 4], [5, 6]],
            labels: [0, 1, 0],
            classNames: ["x", "y"]
        )
    }

    @Test("Rows are slices of the row-major values")
    func rows() {
        #expect(valid.rowCount == 3)
        #expect(valid.featureCount == 2)
        #expect(Array(valid.row(1)) == [3, 4])
    }

    @Test("A consistent dataset passes, with or without labels")
    func passes() throws {
        try valid.validate(requireLabels: true)
        var unlabelled = valid
        unlabelled.labels = []
        try unlabelled.validate(requireLabels: false)
    }

    /// A way to break a dataset, and the words the refusal must contain.
    enum Breakage: String, CaseIterable, Sendable {
        case shortValues = "values"
        case featureNames = "feature_names"
        case infinity = "not finite"
        case weightCount = "sample_weights"
        case negativeWeight = "weights must be finite"
        case labelCount = "labels has"
        case labelRange = "label of row 2"
        case noClasses = "class_names is empty"
        case negativeRows = "must not be negative"

        func apply(to dataset: inout Dataset) {
            switch self {
            case .shortValues: dataset.values.removeLast()
            case .featureNames: dataset.featureNames = ["a"]
            case .infinity: dataset.values[2] = .infinity
            case .weightCount: dataset.sampleWeights = [1]
            case .negativeWeight: dataset.sampleWeights = [1, -1, 1]
            case .labelCount: dataset.labels = [0]
            case .labelRange: dataset.labels[2] = 2
            case .noClasses: dataset.classNames = []
            case .negativeRows: dataset.nRows = -1
            }
        }
    }

    @Test("Each inconsistency is INVALID_ARGUMENT naming it", arguments: Breakage.allCases)
    func refuses(_ breakage: Breakage) {
        var dataset = valid
        breakage.apply(to: &dataset)
        #expect {
            try dataset.validate(requireLabels: true)
        } throws: { error in
            let error = error as? PluginError
            return error?.code == .invalidArgument && error?.message.contains(breakage.rawValue) == true
        }
    }
}

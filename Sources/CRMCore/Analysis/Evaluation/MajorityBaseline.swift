/// The score of always predicting the most frequent training class — scikit-learn's
/// `DummyClassifier(strategy="most_frequent")` — shown beside a model's score: a model that does not beat it
/// has learnt nothing useful.
public struct MajorityBaseline: Codable, Sendable, Hashable {
    /// The class predicted for every row: the most frequent in training, the lowest index on a tie (as
    /// scikit-learn's `argmax`).
    public var predictedClass: Int
    /// Its name.
    public var predictedClassName: String
    /// The accuracy on the test rows.
    public var accuracy: Double
    /// The macro-F1 on the test rows (classes present in the truth or the prediction, as in
    /// ``ClassificationMetrics``).
    public var macroF1: Double

    /// A baseline of the given values, as decoded from a stored evaluation.
    public init(predictedClass: Int, predictedClassName: String, accuracy: Double, macroF1: Double) {
        self.predictedClass = predictedClass
        self.predictedClassName = predictedClassName
        self.accuracy = accuracy
        self.macroF1 = macroF1
    }

    /// Fits the baseline on the training labels and scores it on the test labels.
    /// - Parameters:
    ///   - trainingLabels: The class index of each training row; at least one.
    ///   - testLabels: The class index of each test row.
    ///   - classNames: The class names; every index must be below its count.
    /// - Throws: ``CRMError`` (`invalidArgument`) for no training rows or an index that names no class.
    public static func evaluate(
        trainingLabels: [Int],
        testLabels: [Int],
        classNames: [String]
    ) throws(CRMError) -> MajorityBaseline {
        guard !trainingLabels.isEmpty else {
            throw CRMError.invalid("trainingLabels", "the baseline needs at least one training row")
        }
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in trainingLabels {
            guard counts.indices.contains(label) else {
                throw CRMError.invalid("trainingLabels", "class \(label) is not one of \(classNames.count) classes")
            }
            counts[label] += 1
        }
        var majority = 0
        for index in counts.indices where counts[index] > counts[majority] {
            majority = index
        }
        let metrics = try ClassificationMetrics.evaluate(
            truth: testLabels,
            predicted: [Int](repeating: majority, count: testLabels.count),
            classNames: classNames
        )
        return MajorityBaseline(
            predictedClass: majority,
            predictedClassName: classNames[majority],
            accuracy: metrics.accuracy,
            macroF1: metrics.macroF1
        )
    }
}

/// How well predictions match the truth: scikit-learn's `accuracy_score`, `classification_report` and
/// `confusion_matrix` in one value.
///
/// Conventions, all scikit-learn's defaults:
/// - a precision, recall or F1 that would be `0/0` is 0 (`zero_division="warn"` scores 0);
/// - the macro averages are unweighted means over the classes present in the truth or the predictions
///   (`unique_labels(y_true, y_pred)`); a class absent from both does not pull them down;
/// - the weighted F1 weights each class by its support;
/// - `confusion[t][p]` counts rows of true class `t` predicted as `p`, over all ``classNames``.
public struct ClassificationMetrics: Codable, Sendable, Hashable {
    /// The class names, in index order.
    public var classNames: [String]
    /// The number of rows scored.
    public var count: Int
    /// The share of rows predicted right; 0 for no rows.
    public var accuracy: Double
    /// The mean precision over the classes present.
    public var macroPrecision: Double
    /// The mean recall over the classes present.
    public var macroRecall: Double
    /// The mean F1 over the classes present.
    public var macroF1: Double
    /// The mean F1 weighted by support.
    public var weightedF1: Double
    /// The scores of every class in ``classNames``, present or not.
    public var perClass: [ClassScore]
    /// Row = true class, column = predicted class.
    public var confusion: [[Int]]

    /// A value of the given fields, as decoded from a stored evaluation.
    public init(
        classNames: [String],
        count: Int,
        accuracy: Double,
        macroPrecision: Double,
        macroRecall: Double,
        macroF1: Double,
        weightedF1: Double,
        perClass: [ClassScore],
        confusion: [[Int]]
    ) {
        self.classNames = classNames
        self.count = count
        self.accuracy = accuracy
        self.macroPrecision = macroPrecision
        self.macroRecall = macroRecall
        self.macroF1 = macroF1
        self.weightedF1 = weightedF1
        self.perClass = perClass
        self.confusion = confusion
    }

    /// Scores `predicted` against `truth`.
    /// - Parameters:
    ///   - truth: The true class index of each row.
    ///   - predicted: The predicted class index of each row.
    ///   - classNames: The names of the classes; every index must be below its count.
    /// - Throws: ``CRMError`` (`invalidArgument`) when the two lists differ in length or hold an index that
    ///   names no class (a model answering out of range is a faulty model, not a crash of the host).
    public static func evaluate(
        truth: [Int],
        predicted: [Int],
        classNames: [String]
    ) throws(CRMError) -> ClassificationMetrics {
        guard truth.count == predicted.count else {
            throw CRMError.invalid("predicted", "has \(predicted.count) entries for \(truth.count) rows")
        }
        let classCount = classNames.count
        if let bad = truth.firstIndex(where: { !(0..<classCount).contains($0) }) {
            throw CRMError.invalid("truth[\(bad)]", "class \(truth[bad]) is not one of \(classCount) classes")
        }
        if let bad = predicted.firstIndex(where: { !(0..<classCount).contains($0) }) {
            throw CRMError.invalid(
                "predicted[\(bad)]",
                "class \(predicted[bad]) is not one of \(classCount) classes"
            )
        }

        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        var correct = 0
        for (actual, guess) in zip(truth, predicted) {
            confusion[actual][guess] += 1
            if actual == guess { correct += 1 }
        }

        var perClass: [ClassScore] = []
        var sums = (precision: 0.0, recall: 0.0, f1: 0.0, weightedF1: 0.0)
        var present = 0
        for index in 0..<classCount {
            let truePositives = confusion[index][index]
            let support = confusion[index].reduce(0, +)
            var predictedCount = 0
            for row in 0..<classCount { predictedCount += confusion[row][index] }
            let falsePositives = predictedCount - truePositives
            let falseNegatives = support - truePositives

            let precision = ratio(truePositives, predictedCount)
            let recall = ratio(truePositives, support)
            let f1 = ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives)
            perClass.append(
                ClassScore(name: classNames[index], precision: precision, recall: recall, f1: f1, support: support)
            )
            if support > 0 || predictedCount > 0 {
                present += 1
                sums.precision += precision
                sums.recall += recall
                sums.f1 += f1
                sums.weightedF1 += f1 * Double(support)
            }
        }

        return ClassificationMetrics(
            classNames: classNames,
            count: truth.count,
            accuracy: ratio(correct, truth.count),
            macroPrecision: present == 0 ? 0 : sums.precision / Double(present),
            macroRecall: present == 0 ? 0 : sums.recall / Double(present),
            macroF1: present == 0 ? 0 : sums.f1 / Double(present),
            weightedF1: truth.isEmpty ? 0 : sums.weightedF1 / Double(truth.count),
            perClass: perClass,
            confusion: confusion
        )
    }

    /// `numerator / denominator`, or 0 when the denominator is 0.
    private static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
}

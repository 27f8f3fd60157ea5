/// Model-agnostic feature importances: how much the accuracy on the test rows drops when one feature's values
/// are shuffled among the rows, breaking its link to the target. scikit-learn's
/// `sklearn.inspection.permutation_importance(scoring="accuracy")`, for models without importances of their own.
///
/// The model is asked once for the unshuffled matrix and once per feature and repeat, each time for the whole
/// matrix. The mean accuracy drop of each feature (`importances_mean` in scikit-learn) is clamped at 0 — a
/// negative drop is chance, not a feature that hurts — and the results are scaled to sum to 1 when any is
/// positive (all 0 otherwise), so they read as shares.
public enum PermutationImportance {
    /// Computes the importances with a synchronous model.
    /// - Parameters:
    ///   - matrix: The preprocessed test rows, row-major, `truth.count × featureCount` values.
    ///   - featureCount: The number of columns.
    ///   - truth: The true class of each row.
    ///   - repeats: Shuffles per feature (scikit-learn's `n_repeats`, default 5); at least 1.
    ///   - seed: The seed of the shuffles (``SplitMix64``).
    ///   - predict: The model: a row-major matrix in, one class per row out.
    /// - Returns: One importance per feature.
    /// - Throws: What `predict` throws, or ``CRMError`` (`invalidArgument`) when the shapes do not agree or the
    ///   model answers with the wrong number of classes.
    public static func compute(
        matrix: [Double],
        featureCount: Int,
        truth: [Int],
        repeats: Int = 5,
        seed: UInt64,
        predict: ([Double]) throws -> [Int]
    ) throws -> [Double] {
        var run = try PermutationRun(matrix: matrix, featureCount: featureCount, truth: truth, repeats: repeats)
        var generator = SplitMix64(seed: seed)
        while let input = run.nextInput(using: &generator) {
            try run.record(predict(input))
        }
        return run.importances()
    }

    /// Computes the importances with a model that answers asynchronously (a plugin call); otherwise the same as
    /// the synchronous `compute`, with the same results for the same seed.
    public static func compute(
        matrix: [Double],
        featureCount: Int,
        truth: [Int],
        repeats: Int = 5,
        seed: UInt64,
        predict: ([Double]) async throws -> [Int]
    ) async throws -> [Double] {
        var run = try PermutationRun(matrix: matrix, featureCount: featureCount, truth: truth, repeats: repeats)
        var generator = SplitMix64(seed: seed)
        while let input = run.nextInput(using: &generator) {
            try run.record(await predict(input))
        }
        return run.importances()
    }
}

/// The steps of one computation, shared by the synchronous and asynchronous entry points: first the
/// unshuffled matrix, then feature by feature, repeat by repeat, the matrix with that feature shuffled.
private struct PermutationRun {
    let matrix: [Double]
    let featureCount: Int
    let truth: [Int]
    let repeats: Int
    var rowCount: Int { truth.count }

    /// The input handed out last, kept to restore its shuffled column.
    var shuffled: [Double]
    var column: [Double]
    var baseline: Double?
    /// The feature and repeat of the input handed out last (`nil` before the first shuffle).
    var feature = -1
    var repeatIndex = 0
    var drops: [Double]

    init(matrix: [Double], featureCount: Int, truth: [Int], repeats: Int) throws(CRMError) {
        guard featureCount > 0, matrix.count == truth.count * featureCount else {
            throw CRMError.invalid(
                "matrix",
                "has \(matrix.count) values for \(truth.count) rows of \(featureCount) features"
            )
        }
        guard repeats >= 1 else {
            throw CRMError.invalid("repeats", "must be at least 1 (got \(repeats))")
        }
        self.matrix = matrix
        self.featureCount = featureCount
        self.truth = truth
        self.repeats = repeats
        self.shuffled = matrix
        self.column = []
        self.drops = [Double](repeating: 0, count: featureCount)
    }

    /// The next matrix to predict, or `nil` when done. With fewer than two rows there is nothing to shuffle.
    mutating func nextInput(using generator: inout SplitMix64) -> [Double]? {
        guard rowCount > 1 else { return nil }
        guard baseline != nil else { return matrix }
        if feature < 0 || repeatIndex == repeats {
            if feature >= 0 {
                for row in 0..<rowCount {
                    shuffled[row * featureCount + feature] = matrix[row * featureCount + feature]
                }
            }
            feature += 1
            repeatIndex = 0
            guard feature < featureCount else { return nil }
            column = (0..<rowCount).map { matrix[$0 * featureCount + feature] }
        }
        generator.shuffle(&column)
        for row in 0..<rowCount {
            shuffled[row * featureCount + feature] = column[row]
        }
        repeatIndex += 1
        return shuffled
    }

    /// Records the model's answer to the input handed out last.
    mutating func record(_ predicted: [Int]) throws(CRMError) {
        guard predicted.count == rowCount else {
            throw CRMError.invalid("predict", "answered \(predicted.count) classes for \(rowCount) rows")
        }
        var correct = 0
        for (actual, guess) in zip(truth, predicted) where actual == guess {
            correct += 1
        }
        let accuracy = Double(correct) / Double(rowCount)
        if let baseline {
            drops[feature] += baseline - accuracy
        } else {
            baseline = accuracy
        }
    }

    func importances() -> [Double] {
        let means = drops.map { max($0 / Double(repeats), 0) }
        let total = means.reduce(0, +)
        guard total > 0 else { return [Double](repeating: 0, count: featureCount) }
        return means.map { $0 / total }
    }
}

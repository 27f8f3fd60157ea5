/// The scores of a k-fold cross-validation: each fold's, and their mean and spread, as scikit-learn's
/// `cross_validate` followed by `numpy.mean` and `numpy.std` (population, `ddof=0`).
public struct CrossValidationSummary: Codable, Sendable, Hashable {
    /// The number of folds asked for.
    public var requestedK: Int
    /// The number of folds run (fewer than asked when the data is too small, see ``StratifiedKFold``).
    public var k: Int
    /// The accuracy of each fold.
    public var foldAccuracy: [Double]
    /// The macro-F1 of each fold.
    public var foldMacroF1: [Double]
    /// The mean of ``foldAccuracy``.
    public var meanAccuracy: Double
    /// The population standard deviation of ``foldAccuracy``.
    public var stdAccuracy: Double
    /// The mean of ``foldMacroF1``.
    public var meanMacroF1: Double
    /// The population standard deviation of ``foldMacroF1``.
    public var stdMacroF1: Double

    /// Summarises the folds' scores.
    /// - Parameters:
    ///   - folds: The metrics of each fold, on that fold's test rows.
    ///   - requestedK: The number of folds asked for; defaults to the number run.
    public init(folds: [ClassificationMetrics], requestedK: Int? = nil) {
        self.requestedK = requestedK ?? folds.count
        self.k = folds.count
        self.foldAccuracy = folds.map(\.accuracy)
        self.foldMacroF1 = folds.map(\.macroF1)
        (meanAccuracy, stdAccuracy) = Self.meanAndDeviation(foldAccuracy)
        (meanMacroF1, stdMacroF1) = Self.meanAndDeviation(foldMacroF1)
    }

    private static func meanAndDeviation(_ values: [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 0) }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        return (mean, variance.squareRoot())
    }
}

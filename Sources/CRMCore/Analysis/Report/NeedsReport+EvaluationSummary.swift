extension NeedsReport {
    /// The part of a model's evaluation on its held-out test rows that the report shows and charts.
    public struct EvaluationSummary: Sendable, Hashable, Codable {
        /// Where the feature importances come from.
        public enum ImportanceMethod: String, Sendable, Hashable, Codable {
            /// The model's own, e.g. a decision tree's impurity decrease.
            case model
            /// Permutation importances on the test rows, for models without their own.
            case permutation
        }

        /// The classes, indexed as in ``confusionMatrix``.
        public var classNames: [String]
        /// Test rows counted by true class (the row) and predicted class (the column), both in
        /// ``classNames`` order.
        public var confusionMatrix: [[Int]]
        /// Share of test rows predicted right, 0…1.
        public var accuracy: Double
        /// The unweighted mean of the per-class F1 scores, 0…1.
        public var macroF1: Double
        /// The accuracy of always predicting ``baselineClass``, 0…1: what the model has to beat.
        public var baselineAccuracy: Double
        /// The most frequent training class; empty when unknown.
        public var baselineClass: String
        /// In the caller's order (usually descending); the report sorts them again for its charts.
        public var featureImportances: [FeatureImportance]
        public var importanceMethod: ImportanceMethod

        public init(
            classNames: [String],
            confusionMatrix: [[Int]],
            accuracy: Double,
            macroF1: Double,
            baselineAccuracy: Double,
            baselineClass: String = "",
            featureImportances: [FeatureImportance],
            importanceMethod: ImportanceMethod
        ) {
            self.classNames = classNames
            self.confusionMatrix = confusionMatrix
            self.accuracy = accuracy
            self.macroF1 = macroF1
            self.baselineAccuracy = baselineAccuracy
            self.baselineClass = baselineClass
            self.featureImportances = featureImportances
            self.importanceMethod = importanceMethod
        }

        /// Test rows in ``confusionMatrix``.
        public var testRows: Int { confusionMatrix.reduce(0) { $0 + $1.reduce(0, +) } }
    }
}

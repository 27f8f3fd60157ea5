extension NeedsReport {
    /// How much one feature matters to the model's predictions overall.
    public struct FeatureImportance: Sendable, Hashable, Codable {
        /// The feature's column name, e.g. `recency_days`.
        public var feature: String
        /// Larger matters more; the model's importances usually sum to 1. Permutation importances can
        /// be slightly negative, which the charts draw as no bar.
        public var importance: Double

        public init(feature: String, importance: Double) {
            self.feature = feature
            self.importance = importance
        }
    }
}

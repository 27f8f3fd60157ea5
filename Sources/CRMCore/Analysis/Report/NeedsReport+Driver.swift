extension NeedsReport {
    /// A feature that pushes one customer towards their prediction: an important feature on which the
    /// customer stands far from the average.
    public struct Driver: Sendable, Hashable, Codable {
        /// The feature's column name, e.g. `recency_days`.
        public var feature: String
        /// The customer's value before standardisation; `nil` when it was missing.
        public var value: Double?
        /// Importance × |standard score|; larger drives more.
        public var weight: Double

        public init(feature: String, value: Double?, weight: Double) {
            self.feature = feature
            self.value = value
            self.weight = weight
        }
    }
}

extension NeedsReport {
    /// The model's probability that one customer belongs to one class.
    public struct ClassProbability: Sendable, Hashable, Codable {
        public var className: String
        /// 0…1.
        public var probability: Double

        public init(className: String, probability: Double) {
            self.className = className
            self.probability = probability
        }
    }
}

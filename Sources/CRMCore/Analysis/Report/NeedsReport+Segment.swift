extension NeedsReport {
    /// A group of customers (a lifecycle stage, an attribute value, a predicted class) and what its
    /// members are predicted to need.
    public struct Segment: Sendable, Hashable, Codable {
        /// e.g. `active`, or the attribute value the customers share.
        public var name: String
        public var customerCount: Int
        /// Customers of the segment by predicted class, in the caller's order.
        public var predicted: [ClassCount]
        /// The mean of the members' confidences, 0…1.
        public var meanConfidence: Double
        /// The features that most often drive predictions in this segment, the most frequent first.
        public var topDrivers: [String]

        public init(
            name: String,
            customerCount: Int,
            predicted: [ClassCount],
            meanConfidence: Double,
            topDrivers: [String]
        ) {
            self.name = name
            self.customerCount = customerCount
            self.predicted = predicted
            self.meanConfidence = meanConfidence
            self.topDrivers = topDrivers
        }
    }
}

extension NeedsReport {
    /// What one customer is predicted to need next, how sure the model is, and why.
    public struct CustomerNeed: Sendable, Hashable, Codable {
        /// The resource name, `customers/{id}`.
        public var customer: String
        public var displayName: String
        /// The name of the ``Segment`` the customer is in.
        public var segment: String
        public var predictedClass: String
        /// The probability of ``predictedClass``, 0…1.
        public var confidence: Double
        /// Every class, in the model's class order.
        public var probabilities: [ClassProbability]
        /// The strongest first.
        public var drivers: [Driver]
        public var company: String
        public var email: String
        public var phone: String
        /// ``confidence`` × the expected spend in the predicted category, in major units of
        /// ``valueCurrency``; nil for targets that are not categories.
        public var expectedValue: Double?
        public var valueCurrency: String

        public init(
            customer: String,
            displayName: String,
            segment: String,
            predictedClass: String,
            confidence: Double,
            probabilities: [ClassProbability] = [],
            drivers: [Driver] = [],
            company: String = "",
            email: String = "",
            phone: String = "",
            expectedValue: Double? = nil,
            valueCurrency: String = ""
        ) {
            self.customer = customer
            self.displayName = displayName
            self.segment = segment
            self.predictedClass = predictedClass
            self.confidence = confidence
            self.probabilities = probabilities
            self.drivers = drivers
            self.company = company
            self.email = email
            self.phone = phone
            self.expectedValue = expectedValue
            self.valueCurrency = valueCurrency
        }
    }
}

extension NeedsReport {
    /// How many customers are predicted to be in one class.
    public struct ClassCount: Sendable, Hashable, Codable {
        public var className: String
        public var count: Int

        public init(className: String, count: Int) {
            self.className = className
            self.count = count
        }
    }
}

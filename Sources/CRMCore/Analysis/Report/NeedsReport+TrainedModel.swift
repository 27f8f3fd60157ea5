public import Foundation

extension NeedsReport {
    /// The stored model a ``NeedsReport`` is about, as the report's header shows it.
    public struct TrainedModel: Sendable, Hashable, Codable {
        /// The resource name, `models/{id}`.
        public var name: String
        /// The learning algorithm, e.g. `decision-tree`.
        public var algorithm: String
        /// What the model predicts, e.g. `next-category`.
        public var target: String
        /// 1 for the first model of its target, then 2, 3, …
        public var version: Int
        /// When the model was trained and stored.
        public var trainTime: Date
        /// Features saw only history before this time; `nil` for a model trained on an uploaded table.
        public var cutoff: Date?
        /// How far after the cut-off the labels look, in seconds; `nil` for an uploaded table.
        public var horizon: TimeInterval?

        public init(
            name: String,
            algorithm: String,
            target: String,
            version: Int,
            trainTime: Date,
            cutoff: Date? = nil,
            horizon: TimeInterval? = nil
        ) {
            self.name = name
            self.algorithm = algorithm
            self.target = target
            self.version = version
            self.trainTime = trainTime
            self.cutoff = cutoff
            self.horizon = horizon
        }
    }
}

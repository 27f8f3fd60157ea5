public import Foundation

/// The rows a trained model predicts from: every customer's features as of one time (usually now), laid
/// out by the schema saved with the model.
public struct ScoringSnapshot: Sendable {
    /// The customer of each row.
    public var customerIDs: [Int64]
    public var featureNames: [String]
    /// One row per customer, in the order of ``featureNames``; nil where a value is missing.
    public var rows: [[Double?]]
    /// The time the features describe.
    public var asOf: Date

    public init(customerIDs: [Int64], featureNames: [String], rows: [[Double?]], asOf: Date) {
        self.customerIDs = customerIDs
        self.featureNames = featureNames
        self.rows = rows
        self.asOf = asOf
    }

    /// Extracts the features of every customer in `histories` as of `asOf`.
    ///
    /// - Parameters:
    ///   - histories: the customers to score, all of them (unlike training, nobody is left out).
    ///   - schema: the schema of the model's ``TrainingSnapshot``.
    ///   - asOf: usually now; orders and interactions at or after it are not read.
    public static func build(histories: [CustomerHistory], schema: FeatureSchema, asOf: Date) -> ScoringSnapshot {
        ScoringSnapshot(
            customerIDs: histories.map(\.customer.id),
            featureNames: schema.featureNames,
            rows: histories.map { schema.features(of: $0, asOf: asOf) },
            asOf: asOf
        )
    }
}

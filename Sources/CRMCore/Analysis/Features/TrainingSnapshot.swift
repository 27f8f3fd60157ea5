public import Foundation

/// The dataset a model is trained on: one row of features and one label per customer.
///
/// Features use only what happened before ``cutoff``; labels of purchase targets only the horizon
/// `cutoff ..< cutoff + horizon` after it, so that no feature sees what the label is about
/// (docs/analysis-features.md, "The cut-off rule").
public struct TrainingSnapshot: Sendable {
    /// The default horizon: 90 days.
    public static let defaultHorizon: TimeInterval = 90 * 86_400

    public var target: AnalysisTarget
    /// The customer of each row.
    public var customerIDs: [Int64]
    public var featureNames: [String]
    /// One row per customer, in the order of ``featureNames``; nil where a value is missing.
    public var rows: [[Double?]]
    /// The class of each row.
    public var labels: [String]
    /// The layout of the rows, learned from the included customers before the cut-off.
    public var schema: FeatureSchema
    public var cutoff: Date
    public var horizon: TimeInterval
    /// Customers left out because the registry did not know them before the cut-off.
    public var excludedNotYetCustomers: Int
    /// Customers left out because the target has no value for them (an attribute that is not set).
    public var excludedWithoutLabel: Int

    public init(
        target: AnalysisTarget,
        customerIDs: [Int64],
        featureNames: [String],
        rows: [[Double?]],
        labels: [String],
        schema: FeatureSchema,
        cutoff: Date,
        horizon: TimeInterval,
        excludedNotYetCustomers: Int,
        excludedWithoutLabel: Int
    ) {
        self.target = target
        self.customerIDs = customerIDs
        self.featureNames = featureNames
        self.rows = rows
        self.labels = labels
        self.schema = schema
        self.cutoff = cutoff
        self.horizon = horizon
        self.excludedNotYetCustomers = excludedNotYetCustomers
        self.excludedWithoutLabel = excludedWithoutLabel
    }

    /// Builds the training rows of `target`.
    ///
    /// - Parameters:
    ///   - histories: every customer (deleted ones already left out by the store).
    ///   - target: what to predict; an `attribute:<key>` target keeps `<key>` out of the features.
    ///   - cutoff: features as of this time; see ``defaultCutoff(histories:horizon:)``.
    ///   - horizon: the labelled period after the cut-off.
    ///   - vocabularyLimit: passed to ``FeatureSchema/learn(from:asOf:excludingAttributes:vocabularyLimit:attributeKeyLimit:)``.
    public static func build(
        histories: [CustomerHistory],
        target: AnalysisTarget,
        cutoff: Date,
        horizon: TimeInterval = defaultHorizon,
        vocabularyLimit: Int = FeatureSchema.defaultVocabularyLimit
    ) -> TrainingSnapshot {
        var included: [(history: CustomerHistory, label: String)] = []
        var notYet = 0
        var withoutLabel = 0
        for history in histories {
            guard history.existed(before: cutoff) else {
                notYet += 1
                continue
            }
            guard let label = target.label(for: history, cutoff: cutoff, horizon: horizon) else {
                withoutLabel += 1
                continue
            }
            included.append((history, label))
        }
        let schema = FeatureSchema.learn(
            from: included.map(\.history),
            asOf: cutoff,
            excludingAttributes: target.excludedAttributes,
            vocabularyLimit: vocabularyLimit
        )
        return TrainingSnapshot(
            target: target,
            customerIDs: included.map(\.history.customer.id),
            featureNames: schema.featureNames,
            rows: included.map { schema.features(of: $0.history, asOf: cutoff) },
            labels: included.map(\.label),
            schema: schema,
            cutoff: cutoff,
            horizon: horizon,
            excludedNotYetCustomers: notYet,
            excludedWithoutLabel: withoutLabel
        )
    }

    /// One horizon before the newest purchase in `histories`, so that the labelled period ends with the
    /// data; nil when nobody has bought anything.
    public static func defaultCutoff(histories: [CustomerHistory], horizon: TimeInterval = defaultHorizon) -> Date? {
        let newest = histories.compactMap { $0.orders.last(where: CustomerHistory.isPurchase)?.orderTime }.max()
        return newest.map { $0.addingTimeInterval(-horizon) }
    }
}

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

    /// Customers a class needs for a cut-off to count as giving that class.
    public static let minimumClassSize = 2

    /// The cut-off taken when a request gives none: one horizon before the end of the purchase data, so
    /// that the labelled period ends with the data; nil when nobody has bought anything.
    ///
    /// The end is the newest purchase — unless, with a `target`, its labels at that cut-off fall into fewer
    /// than two classes of ``minimumClassSize`` customers, as when a few purchases were recorded today
    /// after a history that ends months ago. Then the end steps back through the older days with
    /// purchases, at most `candidateLimit` of them, and the first that gives two classes wins; when none
    /// does, the newest purchase's cut-off stands (and training says why it cannot use it).
    public static func defaultCutoff(
        histories: [CustomerHistory],
        target: AnalysisTarget? = nil,
        horizon: TimeInterval = defaultHorizon,
        candidateLimit: Int = 32
    ) -> Date? {
        let ends = purchaseDayEnds(histories)
        guard let newest = ends.first else { return nil }
        guard let target else { return newest.addingTimeInterval(-horizon) }
        for end in ends.prefix(candidateLimit) {
            let cutoff = end.addingTimeInterval(-horizon)
            if givesTwoClasses(classSizes(histories: histories, target: target, cutoff: cutoff, horizon: horizon)) {
                return cutoff
            }
        }
        return newest.addingTimeInterval(-horizon)
    }

    /// The latest cut-off before `before` at which `target` has two classes of ``minimumClassSize``
    /// customers, trying the 32 newest days with purchases one by one, then at most `tries` more spread
    /// over the rest of the history; nil when none has. For the error that tells the caller what to try.
    public static func workingCutoff(
        histories: [CustomerHistory],
        target: AnalysisTarget,
        horizon: TimeInterval,
        before: Date,
        tries: Int = 200
    ) -> Date? {
        let ends = purchaseDayEnds(histories).filter { $0.addingTimeInterval(-horizon) < before }
        guard !ends.isEmpty else { return nil }
        let newest = min(32, ends.count)
        let stride = max(1, (ends.count - newest) / tries)
        let candidates = Array(0..<newest) + Array(Swift.stride(from: newest, to: ends.count, by: stride))
        for index in candidates {
            let cutoff = ends[index].addingTimeInterval(-horizon)
            if givesTwoClasses(classSizes(histories: histories, target: target, cutoff: cutoff, horizon: horizon)) {
                return cutoff
            }
        }
        return nil
    }

    /// The newest purchase in `histories`; nil when nobody has bought anything.
    public static func newestPurchase(in histories: [CustomerHistory]) -> Date? {
        histories.compactMap { $0.orders.last(where: CustomerHistory.isPurchase)?.orderTime }.max()
    }

    /// How many customers each class of `target` has at `cutoff`.
    public static func classSizes(
        histories: [CustomerHistory],
        target: AnalysisTarget,
        cutoff: Date,
        horizon: TimeInterval
    ) -> [String: Int] {
        var sizes: [String: Int] = [:]
        for history in histories {
            if let label = target.label(for: history, cutoff: cutoff, horizon: horizon) {
                sizes[label, default: 0] += 1
            }
        }
        return sizes
    }

    static func givesTwoClasses(_ sizes: [String: Int]) -> Bool {
        sizes.values.filter { $0 >= minimumClassSize }.count >= 2
    }

    /// For each day with a purchase, the newest purchase of that day; newest day first.
    static func purchaseDayEnds(_ histories: [CustomerHistory]) -> [Date] {
        var newestOfDay: [Int64: Date] = [:]
        for history in histories {
            for order in history.orders where CustomerHistory.isPurchase(order) {
                let day = Int64((order.orderTime.timeIntervalSince1970 / 86_400).rounded(.down))
                if let known = newestOfDay[day], known >= order.orderTime { continue }
                newestOfDay[day] = order.orderTime
            }
        }
        return newestOfDay.keys.sorted(by: >).map { newestOfDay[$0]! }
    }
}

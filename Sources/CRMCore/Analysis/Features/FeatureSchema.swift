public import Foundation

/// The column layout of the needs-analysis dataset: which features exist and in what order.
///
/// The fixed part (recency, frequency, monetary value, …) is the same for every registry; the rest is
/// one column per entry of a vocabulary learned from the training histories by
/// ``learn(from:asOf:excludingAttributes:vocabularyLimit:attributeKeyLimit:)``: product categories,
/// interaction outcomes and topics, and customer attributes. A schema is saved with a model, so that
/// prediction lays out its rows exactly as training did; values outside a vocabulary land in the
/// ``otherBucket`` column. Every column is described in docs/analysis-features.md.
///
/// Extraction reads only what happened strictly before the `asOf` time it is given, except for the
/// customer's attributes, which the registry keeps without history and are read as they are now.
public struct FeatureSchema: Codable, Sendable, Hashable {
    /// A customer attribute whose values are labels: one 0/1 column per value.
    public struct CategoricalAttribute: Codable, Sendable, Hashable {
        public var key: String
        /// The most common values, most common first; others go to ``FeatureSchema/otherBucket``.
        public var values: [String]

        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    /// The column for values outside a vocabulary (categories, outcomes, topics, attribute values, and
    /// interactions of unspecified kind).
    public static let otherBucket = "(other)"
    /// The windows, in days before `asOf`, of the `frequency_*` and `monetary_*` features.
    public static let windowDays = [30, 90, 180, 365]
    /// The default cap on each vocabulary (not counting ``otherBucket``).
    public static let defaultVocabularyLimit = 20
    /// The default cap on the number of attribute keys.
    public static let defaultAttributeKeyLimit = 50

    /// Product categories, most order lines first.
    public var categories: [String]
    /// Interaction outcomes (lower case), most common first.
    public var outcomes: [String]
    /// Interaction topics, most common first.
    public var topics: [String]
    /// Attribute keys whose every training value is a finite number; sorted.
    public var numericAttributes: [String]
    /// The other attribute keys with their value vocabularies; sorted by key.
    public var categoricalAttributes: [CategoricalAttribute]

    public init(
        categories: [String] = [],
        outcomes: [String] = [],
        topics: [String] = [],
        numericAttributes: [String] = [],
        categoricalAttributes: [CategoricalAttribute] = []
    ) {
        self.categories = categories
        self.outcomes = outcomes
        self.topics = topics
        self.numericAttributes = numericAttributes
        self.categoricalAttributes = categoricalAttributes
    }

    /// Learns the vocabularies from `histories`, looking only at orders and interactions before `asOf`.
    ///
    /// - Parameters:
    ///   - histories: the training customers.
    ///   - asOf: the cut-off; nothing at or after it is read (attributes excepted, see the type).
    ///   - excludingAttributes: attribute keys to leave out, such as the one being predicted.
    ///   - vocabularyLimit: how many categories, outcomes, topics and values per attribute to keep, the
    ///     most frequent first (ties by name); the rest share the ``otherBucket`` column.
    ///   - attributeKeyLimit: how many attribute keys to keep, those set on most customers first.
    public static func learn(
        from histories: [CustomerHistory],
        asOf: Date,
        excludingAttributes: Set<String> = [],
        vocabularyLimit: Int = defaultVocabularyLimit,
        attributeKeyLimit: Int = defaultAttributeKeyLimit
    ) -> FeatureSchema {
        var categories: [String: Int] = [:]
        var outcomes: [String: Int] = [:]
        var topics: [String: Int] = [:]
        var keys: [String: Int] = [:]
        var values: [String: [String: Int]] = [:]
        var numeric: [String: Bool] = [:]
        for history in histories {
            for order in history.purchases(before: asOf) {
                for line in order.lineItems { categories[line.category, default: 0] += 1 }
            }
            for interaction in history.interactions(before: asOf) {
                if !interaction.outcome.isEmpty { outcomes[interaction.outcome, default: 0] += 1 }
                if !interaction.topic.isEmpty { topics[interaction.topic, default: 0] += 1 }
            }
            for (key, value) in history.customer.attributes where !value.isEmpty && !excludingAttributes.contains(key) {
                keys[key, default: 0] += 1
                values[key, default: [:]][value, default: 0] += 1
                numeric[key] = (numeric[key] ?? true) && Self.number(value) != nil
            }
        }
        let keptKeys = Set(mostCommon(keys, limit: attributeKeyLimit))
        return FeatureSchema(
            categories: mostCommon(categories, limit: vocabularyLimit),
            outcomes: mostCommon(outcomes, limit: vocabularyLimit),
            topics: mostCommon(topics, limit: vocabularyLimit),
            numericAttributes: keptKeys.filter { numeric[$0] == true }.sorted(),
            categoricalAttributes: keptKeys.filter { numeric[$0] != true }.sorted().map { key in
                CategoricalAttribute(key: key, values: mostCommon(values[key] ?? [:], limit: vocabularyLimit))
            }
        )
    }

    /// The names of the columns, in the order of ``features(of:asOf:)``.
    public var featureNames: [String] {
        columns(of: CustomerHistory(customer: Customer()), asOf: .distantPast, recordNames: true).names
    }

    /// The columns that can never be negative (counts, money, days, shares, one-hot flags): a negative
    /// value there is impossible, and cleaning treats it as missing. Only the trends and numeric
    /// attributes may be negative.
    public var nonNegativeFeatures: Set<Int> {
        let layout = columns(of: CustomerHistory(customer: Customer()), asOf: .distantPast, recordNames: true)
        return Set(layout.names.indices).subtracting(layout.signed)
    }

    /// The feature row of one customer as of `asOf`, in the order of ``featureNames``.
    ///
    /// - Parameters:
    ///   - history: the customer.
    ///   - asOf: only orders and interactions strictly before this time are read.
    /// - Returns: one value per column; nil where the value is missing (recency of a customer who never
    ///   bought, a numeric attribute that is not set).
    public func features(of history: CustomerHistory, asOf: Date) -> [Double?] {
        columns(of: history, asOf: asOf, recordNames: false).values
    }

    // MARK: Extraction

    private static let secondsPerDay = 86_400.0

    /// The interaction kinds that get a column of their own; `unspecified` counts under ``otherBucket``.
    private static let kinds = InteractionKind.allCases.filter { $0 != .unspecified }

    /// Columns as they are filled; names are built only when asked for, values always.
    private struct Columns {
        let recordNames: Bool
        var names: [String] = []
        /// The columns that may hold negative values; recorded with the names.
        var signed: [Int] = []
        var values: [Double?] = []

        mutating func add(_ name: @autoclosure () -> String, _ value: Double?, signed isSigned: Bool = false) {
            if recordNames {
                if isSigned { signed.append(names.count) }
                names.append(name())
            }
            values.append(value)
        }

        /// One column per entry of `vocabulary` plus ``FeatureSchema/otherBucket``, valued by `value`.
        mutating func addVocabulary(_ prefix: String, _ vocabulary: [String], _ value: (String) -> Double?) {
            for entry in vocabulary + [FeatureSchema.otherBucket] { add(prefix + entry, value(entry)) }
        }
    }

    // Kept in one function so that the names and the values cannot drift apart.
    private func columns(of history: CustomerHistory, asOf: Date, recordNames: Bool) -> Columns {
        var columns = Columns(recordNames: recordNames)
        let day = Self.secondsPerDay
        let purchases = history.purchases(before: asOf)
        let contacts = history.interactions(before: asOf)
        func daysBefore(_ time: Date) -> Double { asOf.timeIntervalSince(time) / day }
        func window(lastDays days: Int) -> ArraySlice<Order> {
            let start = asOf.addingTimeInterval(-Double(days) * day)
            return purchases.drop { $0.orderTime < start }
        }
        func spend(_ orders: some Sequence<Order>) -> Double { orders.reduce(0) { $0 + $1.totalMajorUnits } }

        // Recency, frequency, monetary value.
        columns.add("recency_days", purchases.last.map { daysBefore($0.orderTime) })
        for days in Self.windowDays { columns.add("frequency_\(days)d", Double(window(lastDays: days).count)) }
        columns.add("frequency_all", Double(purchases.count))
        for days in Self.windowDays { columns.add("monetary_\(days)d", spend(window(lastDays: days))) }
        let total = spend(purchases)
        columns.add("monetary_all", total)
        columns.add("average_basket", purchases.isEmpty ? nil : total / Double(purchases.count))
        columns.add(
            "purchases_per_year",
            purchases.first.map { Double(purchases.count) * 365 / max(daysBefore($0.orderTime), 30) }
        )
        var meanGap: Double?
        if let first = purchases.first, let last = purchases.last, purchases.count > 1 {
            meanGap = last.orderTime.timeIntervalSince(first.orderTime) / day / Double(purchases.count - 1)
        }
        columns.add("mean_gap_days", meanGap)
        let since = history.customer.customerSince.flatMap { $0 < asOf ? $0 : nil } ?? purchases.first?.orderTime
        columns.add("tenure_days", since.map(daysBefore))
        let recent = window(lastDays: 180)
        let before = window(lastDays: 360).prefix { $0.orderTime < asOf.addingTimeInterval(-180 * day) }
        columns.add("trend_spend_180d", spend(recent) - spend(before), signed: true)
        columns.add("trend_orders_180d", Double(recent.count - before.count), signed: true)

        // What they buy.
        let known = Set(categories)
        func bucket(_ category: String) -> String { known.contains(category) ? category : Self.otherBucket }
        func shares(_ orders: some Sequence<Order>) -> [String: Double]? {
            var spent: [String: Double] = [:]
            var sum = 0.0
            for order in orders {
                for line in order.lineItems {
                    let amount = Order.majorUnits(line.totalMinor, currencyCode: order.currencyCode)
                    spent[bucket(line.category), default: 0] += amount
                    sum += amount
                }
            }
            return sum > 0 ? spent.mapValues { $0 / sum } : nil
        }
        let allShares = shares(purchases)
        columns.addVocabulary("category_share.", categories) { category in allShares.map { $0[category] ?? 0 } }
        let yearShares = shares(window(lastDays: 365))
        columns.addVocabulary("category_share_365d.", categories) { category in yearShares.map { $0[category] ?? 0 } }
        let last = purchases.last.flatMap(Self.mainCategory).map(bucket)
        columns.addVocabulary("last_category.", categories) { $0 == last ? 1 : 0 }

        // Communication.
        let recentStart = asOf.addingTimeInterval(-90 * day)
        let recentContacts = contacts.drop { $0.occurTime < recentStart }
        columns.add("interactions_all", Double(contacts.count))
        columns.add("interactions_90d", Double(recentContacts.count))
        var byKind: [String: Int] = [:]
        for contact in contacts {
            byKind[contact.kind == .unspecified ? Self.otherBucket : contact.kind.label, default: 0] += 1
        }
        columns.addVocabulary("interactions.", Self.kinds.map(\.label)) { Double(byKind[$0] ?? 0) }
        let knownOutcomes = Set(outcomes)
        var byOutcome: [String: Int] = [:]
        for contact in contacts where !contact.outcome.isEmpty {
            byOutcome[knownOutcomes.contains(contact.outcome) ? contact.outcome : Self.otherBucket, default: 0] += 1
        }
        columns.addVocabulary("outcome.", outcomes) { Double(byOutcome[$0] ?? 0) }
        columns.add("days_since_last_contact", contacts.last.map { daysBefore($0.occurTime) })
        let knownTopics = Set(topics)
        var byTopic: [String: Int] = [:]
        for contact in recentContacts where !contact.topic.isEmpty {
            byTopic[knownTopics.contains(contact.topic) ? contact.topic : Self.otherBucket, default: 0] += 1
        }
        columns.addVocabulary("topic_90d.", topics) { Double(byTopic[$0] ?? 0) }

        // Who they are.
        let attributes = history.customer.attributes
        for key in numericAttributes {
            columns.add("attr.\(key)", attributes[key].flatMap(Self.number), signed: true)
        }
        for attribute in categoricalAttributes {
            let value = attributes[attribute.key].flatMap { $0.isEmpty ? nil : $0 }
            let column = value.map { attribute.values.contains($0) ? $0 : Self.otherBucket }
            columns.addVocabulary("attr.\(attribute.key)=", attribute.values) { $0 == column ? 1 : 0 }
        }
        return columns
    }

    /// The category with the most spend in `order` (ties: the first by name); nil for an order without lines.
    static func mainCategory(of order: Order) -> String? {
        var spent: [String: Int64] = [:]
        for line in order.lineItems { spent[line.category, default: 0] += line.totalMinor }
        return spent.min { ($1.value, $0.key) < ($0.value, $1.key) }?.key
    }

    /// `text` as a finite number, or nil.
    static func number(_ text: String) -> Double? {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
        return value
    }

    /// The `limit` keys with the highest counts, highest first, ties by key.
    static func mostCommon(_ counts: [String: Int], limit: Int) -> [String] {
        counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(max(limit, 0)).map(\.key)
    }
}

/// A dataset as the host builds it from the registry, before cleaning: one row of feature values and one
/// target label per customer.
///
/// Missing values are `nil`, in the features and in the labels. A table may carry a fixed train/test split
/// (``isTest``); otherwise the split is drawn later with ``StratifiedSplit``.
public struct LabeledTable: Sendable, Hashable {
    /// The name of each feature column, in column order.
    public let featureNames: [String]
    /// One array per row, `featureNames.count` values each; `nil` is a missing value.
    public let rows: [[Double?]]
    /// The target of each row; `nil` (or an empty string) is a missing label.
    public let labels: [String?]
    /// A fixed split, `true` for a test row, or `nil` when the split is still to be drawn.
    public let isTest: [Bool]?
    /// Columns that cannot be negative (counts, money amounts); a negative value there is impossible and is
    /// treated as missing by ``DataCleaning``.
    public let nonNegativeFeatures: Set<Int>

    /// A table whose shapes agree.
    /// - Parameters:
    ///   - featureNames: The column names.
    ///   - rows: The feature values, one array per row, as wide as `featureNames`.
    ///   - labels: One label per row.
    ///   - isTest: An optional fixed split, one flag per row.
    ///   - nonNegativeFeatures: Indexes of columns that cannot be negative.
    /// - Throws: ``CRMError`` (`invalidArgument`) when a row, the labels or the split do not match in size, or a
    ///   constrained column does not exist.
    public init(
        featureNames: [String],
        rows: [[Double?]],
        labels: [String?],
        isTest: [Bool]? = nil,
        nonNegativeFeatures: Set<Int> = []
    ) throws(CRMError) {
        if labels.count != rows.count {
            throw CRMError.invalid("labels", "has \(labels.count) entries for \(rows.count) rows")
        }
        if let isTest, isTest.count != rows.count {
            throw CRMError.invalid("isTest", "has \(isTest.count) entries for \(rows.count) rows")
        }
        if let row = rows.firstIndex(where: { $0.count != featureNames.count }) {
            throw CRMError.invalid(
                "rows[\(row)]",
                "has \(rows[row].count) values for \(featureNames.count) features"
            )
        }
        if let column = nonNegativeFeatures.first(where: { !featureNames.indices.contains($0) }) {
            throw CRMError.invalid("nonNegativeFeatures", "names column \(column) of \(featureNames.count)")
        }
        self.featureNames = featureNames
        self.rows = rows
        self.labels = labels
        self.isTest = isTest
        self.nonNegativeFeatures = nonNegativeFeatures
    }

    /// The number of rows.
    public var rowCount: Int { rows.count }

    /// The number of feature columns.
    public var featureCount: Int { featureNames.count }
}

/// What ``DataCleaning`` found and did, shown with the model so that a user can judge the data it learnt from.
public struct CleaningReport: Codable, Sendable, Hashable {
    /// Rows in the table before cleaning.
    public var rowsIn: Int
    /// Rows left after cleaning.
    public var rowsOut: Int
    /// Rows dropped because their label was missing.
    public var rowsDroppedMissingLabel: Int
    /// Training rows dropped because an earlier training row had the same features and label. Test rows are
    /// never dropped, so that every model is scored on the same test rows.
    public var duplicateRowsDropped: Int
    /// The feature names, in the order of the per-feature counts below.
    public var featureNames: [String]
    /// Values that were missing in the input, per feature, over the rows kept.
    public var missingValues: [Int]
    /// Values that could not be true (not finite, or negative in a non-negative column), per feature, over the
    /// rows kept; they are now missing too.
    public var impossibleValues: [Int]
    /// Features with no value at all after cleaning (imputed as 0 by ``Preprocessor``).
    public var allMissingFeatures: [String]
    /// Features with one single value in every row that has one (they carry no information).
    public var constantFeatures: [String]

    /// A report of the given counts.
    public init(
        rowsIn: Int,
        rowsOut: Int,
        rowsDroppedMissingLabel: Int,
        duplicateRowsDropped: Int,
        featureNames: [String],
        missingValues: [Int],
        impossibleValues: [Int],
        allMissingFeatures: [String],
        constantFeatures: [String]
    ) {
        self.rowsIn = rowsIn
        self.rowsOut = rowsOut
        self.rowsDroppedMissingLabel = rowsDroppedMissingLabel
        self.duplicateRowsDropped = duplicateRowsDropped
        self.featureNames = featureNames
        self.missingValues = missingValues
        self.impossibleValues = impossibleValues
        self.allMissingFeatures = allMissingFeatures
        self.constantFeatures = constantFeatures
    }
}

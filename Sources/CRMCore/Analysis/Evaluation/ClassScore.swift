/// The scores of one class, a row of scikit-learn's `classification_report`.
public struct ClassScore: Codable, Sendable, Hashable {
    /// The class name.
    public var name: String
    /// Of the rows predicted as this class, the share that are; 0 when none was predicted.
    public var precision: Double
    /// Of the rows of this class, the share predicted as it; 0 when there are none.
    public var recall: Double
    /// The harmonic mean of precision and recall, `2·tp / (2·tp + fp + fn)`; 0 when that is `0/0`.
    public var f1: Double
    /// The number of rows truly of this class.
    public var support: Int

    /// A class score of the given values.
    public init(name: String, precision: Double, recall: Double, f1: Double, support: Int) {
        self.name = name
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }
}

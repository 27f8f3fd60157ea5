public import Foundation

/// What customers are predicted to need next, per segment and per customer, with how sure the model
/// is and the features that drive it.
///
/// A plain value: the server fills it from a stored model's ``EvaluationSummary`` and its latest
/// stored predictions, then renders it with ``html(customerLimit:)``, ``text(limit:)`` or
/// ``json()``. Every rendering is deterministic: the same report gives the same bytes, and nothing
/// in them depends on the clock or the locale of the machine.
public struct NeedsReport: Sendable, Hashable, Codable {
    /// The heading of every rendering, e.g. `Customer needs — next-category`.
    public var title: String
    /// When the report was put together; the renderings print it and never read the clock.
    public var generateTime: Date
    /// When the predictions the report shows were computed; `nil` when unknown.
    public var scoredTime: Date?
    /// The model whose predictions these are.
    public var model: TrainedModel
    /// How the model did on its held-out test rows.
    public var evaluation: EvaluationSummary
    /// Predicted class → number of customers, over every customer scored.
    public var classDistribution: [ClassCount]
    /// Customers grouped, e.g. by lifecycle stage or by an attribute value, in the caller's order.
    public var segments: [Segment]
    /// One entry per customer, in the caller's order (usually the surest first); may be cut short of
    /// ``customerCount``.
    public var customers: [CustomerNeed]
    /// Customers scored in total; at least `customers.count`.
    public var customerCount: Int
    /// The features of the scores are as of this time; `nil` when unknown.
    public var asOf: Date?
    /// The newest order or interaction before ``asOf``: how current the data behind the scores is.
    public var dataEndTime: Date?
    /// Customers scored but left out of ``customers`` (predicted `none`, or churned).
    public var omittedCount: Int

    /// - Parameters:
    ///   - customerCount: Customers scored in total; `nil` means `customers.count`.
    public init(
        title: String,
        generateTime: Date,
        scoredTime: Date? = nil,
        model: TrainedModel,
        evaluation: EvaluationSummary,
        classDistribution: [ClassCount],
        segments: [Segment],
        customers: [CustomerNeed],
        customerCount: Int? = nil,
        asOf: Date? = nil,
        dataEndTime: Date? = nil,
        omittedCount: Int = 0
    ) {
        self.title = title
        self.generateTime = generateTime
        self.scoredTime = scoredTime
        self.model = model
        self.evaluation = evaluation
        self.classDistribution = classDistribution
        self.segments = segments
        self.customers = customers
        self.customerCount = max(customerCount ?? customers.count, customers.count)
        self.asOf = asOf
        self.dataEndTime = dataEndTime
        self.omittedCount = omittedCount
    }
}

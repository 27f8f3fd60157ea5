public import Foundation

/// A trained model as stored: the analysis plugin's opaque bytes, the host's preprocessing that
/// turns customers (or table rows) into the plugin's input, and the summary shown to users.
///
/// Models are versioned per target: the first `next-category` model is version 1, the next 2.
public struct StoredModel: Sendable, Hashable {
    /// Row id; 0 for a model not yet stored. The resource name is `models/{id}`.
    public var id: Int64
    /// e.g. `next-category`, `churn`, `attribute:industry`, `csv:label`.
    public var target: String
    /// 1, 2, … per target; assigned when stored.
    public var version: Int
    public var algorithm: String
    /// The plugin's name (not its resource name).
    public var plugin: String
    public var createTime: Date
    /// The API's `Model` message, encoded (without id, version and time, which come from the row).
    public var summary: Data
    /// The host's preprocessing, as ``ModelPreprocessing`` JSON.
    public var preprocessing: Data
    /// What the plugin's `train` returned.
    public var model: Data

    public init(
        id: Int64 = 0,
        target: String,
        version: Int = 0,
        algorithm: String,
        plugin: String,
        createTime: Date = Date(timeIntervalSince1970: 0),
        summary: Data,
        preprocessing: Data,
        model: Data
    ) {
        self.id = id
        self.target = target
        self.version = version
        self.algorithm = algorithm
        self.plugin = plugin
        self.createTime = createTime
        self.summary = summary
        self.preprocessing = preprocessing
        self.model = model
    }

    public var resourceName: String { "models/\(id)" }
}

/// The latest score of one customer by one model.
public struct CustomerScore: Sendable, Hashable, Codable {
    public var customerID: Int64
    public var predictedClass: String
    /// The probability of the predicted class.
    public var confidence: Double
    /// One per class, in the model's class order.
    public var probabilities: [Double]
    public var drivers: [ScoreDriver]

    public init(
        customerID: Int64,
        predictedClass: String,
        confidence: Double,
        probabilities: [Double],
        drivers: [ScoreDriver]
    ) {
        self.customerID = customerID
        self.predictedClass = predictedClass
        self.confidence = confidence
        self.probabilities = probabilities
        self.drivers = drivers
    }
}

/// A feature that drives one customer's score: the same value the needs report shows.
public typealias ScoreDriver = NeedsReport.Driver

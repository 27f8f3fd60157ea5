public import Foundation

/// The host's half of a stored model: how rows become the plugin's input, and what is needed to
/// explain its scores. Saved as JSON beside the plugin's bytes.
public struct ModelPreprocessing: Codable, Sendable, Hashable {
    /// Bumped when the layout changes; older versions stay readable.
    public static let currentFormat = 1

    public var format: Int
    /// e.g. `next-category`, or `csv:<label column>` for an uploaded table.
    public var target: String
    public var featureNames: [String]
    public var classNames: [String]
    /// Median imputation and standardisation, fitted on the training rows.
    public var preprocessor: Preprocessor
    /// For registry models: the columns' vocabularies, to extract the same features at scoring time.
    public var schema: FeatureSchema?
    public var cutoff: Date?
    public var horizonSeconds: Double?
    /// One per feature, summing to 1 (or all 0): the model's own or permutation importances. Scores
    /// are explained with them.
    public var importances: [Double]

    public init(
        target: String,
        featureNames: [String],
        classNames: [String],
        preprocessor: Preprocessor,
        schema: FeatureSchema?,
        cutoff: Date?,
        horizonSeconds: Double?,
        importances: [Double]
    ) {
        self.format = Self.currentFormat
        self.target = target
        self.featureNames = featureNames
        self.classNames = classNames
        self.preprocessor = preprocessor
        self.schema = schema
        self.cutoff = cutoff
        self.horizonSeconds = horizonSeconds
        self.importances = importances
    }

    /// Stable JSON (sorted keys), so the same model gives the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return try encoder.encode(self)
    }

    public init(decoding data: Data) throws(CRMError) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            self = try decoder.decode(Self.self, from: data)
        } catch {
            throw CRMError(.internalError, "the model's preprocessing is unreadable", cause: String(describing: error))
        }
        guard format <= Self.currentFormat else {
            throw CRMError(
                .failedPrecondition,
                "the model was stored by a newer crmd (preprocessing format \(format)); this one reads up to "
                    + "\(Self.currentFormat)"
            )
        }
    }
}

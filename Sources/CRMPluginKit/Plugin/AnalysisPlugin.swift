/// A plugin that learns classifiers: crmd's decision tree, SVM and neural network are such plugins.
///
/// Write a type that conforms, then export it from your library:
///
/// ```swift
/// import CRMPluginKit
///
/// struct MyClassifier: AnalysisPlugin {
///     init(configuration: PluginConfiguration) throws {}
///     func describe() throws -> DescribeResponse { … }
///     func train(_ request: TrainRequest, context: PluginCallContext) throws -> TrainResponse { … }
///     func predict(_ request: PredictRequest, context: PluginCallContext) throws -> PredictResponse { … }
/// }
///
/// @_cdecl("crm_plugin_entry")
/// public func crmPluginEntry() -> UnsafeRawPointer {
///     PluginExport.analysis(
///         MyClassifier.self, name: "my-classifier", version: "1.0.0",
///         description: "A classifier of my own", license: "MIT"
///     )
/// }
/// ```
///
/// The host creates one instance when it loads the library and calls its methods from several threads at once
/// (hence `Sendable`). Before ``train(_:context:)`` and ``predict(_:context:)`` run, the export helper has
/// checked the dataset's shape (``Dataset/validate(requireLabels:)``), so a method can index it without
/// further checks.
public protocol AnalysisPlugin: Sendable {
    /// Creates the plugin when the host loads it.
    ///
    /// - Parameter configuration: Settings from the daemon's configuration, and the host for logging.
    /// - Throws: ``PluginError`` (e.g. ``PluginError/Code-swift.struct/invalidArgument`` for a bad setting);
    ///   the host then lists the plugin as failed with the error's message.
    init(configuration: PluginConfiguration) throws

    /// The algorithms this plugin offers, with their parameters under scikit-learn's names and defaults.
    ///
    /// `methods` may be left empty: the export helper fills in `describe`, `train`, `predict`.
    func describe() throws -> DescribeResponse

    /// Trains a model on `request.dataset`.
    ///
    /// - Parameters:
    ///   - request: The algorithm, its parameters, the labelled dataset and the seed.
    ///   - context: Progress, cancellation and logging for this call.
    /// - Returns: The model bytes (in your own, versioned format) and what training measured.
    /// - Throws: ``PluginError``: ``PluginError/Code-swift.struct/invalidArgument`` for an unknown algorithm or a
    ///   bad parameter, ``PluginError/Code-swift.struct/cancelled`` when cancelled.
    func train(_ request: TrainRequest, context: PluginCallContext) throws -> TrainResponse

    /// Predicts the class of every row of `request.dataset` with a model from ``train(_:context:)``.
    ///
    /// - Parameters:
    ///   - request: The model bytes and the rows.
    ///   - context: Progress, cancellation and logging for this call.
    /// - Returns: A class per row, and probabilities where the algorithm has them.
    /// - Throws: ``PluginError``: ``PluginError/Code-swift.struct/failedPrecondition`` for model bytes this
    ///   version cannot read, ``PluginError/Code-swift.struct/invalidArgument`` when the rows do not fit the
    ///   model.
    func predict(_ request: PredictRequest, context: PluginCallContext) throws -> PredictResponse
}

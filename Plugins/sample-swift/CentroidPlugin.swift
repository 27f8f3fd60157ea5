import CRMPluginKit

/// A sample analysis plugin in Swift: two small, real classifiers.
///
/// - `nearest-centroid`: scikit-learn's `NearestCentroid` — each class is the mean (or, for the Manhattan metric,
///   the median) of its rows, optionally shrunken towards the overall mean; a row gets the class of the nearest
///   centroid.
/// - `majority-class`: scikit-learn's `DummyClassifier` — always the most frequent class; the baseline every
///   real model must beat.
struct CentroidPlugin: AnalysisPlugin {
    init(configuration: PluginConfiguration) throws {
        configuration.host.log(.debug, "nearest-centroid sample plugin loaded")
    }

    func describe() throws -> DescribeResponse {
        var response = DescribeResponse()
        response.algorithms = [NearestCentroid.algorithm, MajorityClass.algorithm]
        return response
    }

    func train(_ request: TrainRequest, context: PluginCallContext) throws -> TrainResponse {
        switch request.algorithm {
        case NearestCentroid.algorithm.name:
            try NearestCentroid.train(request, context: context)
        case MajorityClass.algorithm.name:
            try MajorityClass.train(request, context: context)
        default:
            throw PluginError(
                code: .invalidArgument,
                message:
                    "unknown algorithm \"\(request.algorithm)\"; this plugin offers nearest-centroid, majority-class"
            )
        }
    }

    func predict(_ request: PredictRequest, context: PluginCallContext) throws -> PredictResponse {
        let model = try ClassifierModel(decoding: request.model)
        guard model.featureCount == request.dataset.featureCount else {
            throw PluginError(
                code: .invalidArgument,
                message:
                    "the model was trained on \(model.featureCount) features, the rows have \(request.dataset.nFeatures)"
            )
        }
        return try model.predict(request.dataset, wantDecisionScores: request.wantDecisionScores, context: context)
    }
}

import CRMPluginKit

/// scikit-learn's `DummyClassifier`: predicts the most frequent class of the training data.
enum MajorityClass {
    static let algorithm: Algorithm = {
        var algorithm = Algorithm()
        algorithm.name = "majority-class"
        algorithm.displayName = "Majority class (baseline)"
        algorithm.description_p =
            "Always predicts the most frequent training class: the baseline any real model must beat."
        algorithm.sklearnEquivalent = "sklearn.dummy.DummyClassifier"
        algorithm.supportsProbabilities = true
        algorithm.supportsSampleWeights = true
        algorithm.parameters = [
            Parameter(
                "strategy",
                .string,
                default: "prior",
                allowedValues: ["prior", "most_frequent"],
                description: "prior: probabilities are the class frequencies; most_frequent: probability 1 for the "
                    + "most frequent class. Both predict the most frequent class."
            )
        ]
        return algorithm
    }()

    static func train(_ request: TrainRequest, context: PluginCallContext) throws -> TrainResponse {
        let parameters = try AlgorithmParameters(
            request.parameters,
            declared: algorithm.parameters,
            algorithm: algorithm.name
        )
        let dataset = request.dataset
        let classCount = dataset.classNames.count
        var weights = [Double](repeating: 0, count: classCount)
        for (row, label) in dataset.labels.enumerated() {
            weights[Int(label)] += dataset.sampleWeights.isEmpty ? 1 : dataset.sampleWeights[row]
        }
        let total = weights.reduce(0, +)
        let majority = weights.indices.max { weights[$0] < weights[$1] } ?? 0
        var model = ClassifierModel(
            algorithm: algorithm.name,
            featureCount: dataset.featureCount,
            classCount: classCount
        )
        if try parameters.string("strategy") == "most_frequent" || total == 0 {
            model.classProbabilities = weights.indices.map { $0 == majority ? 1 : 0 }
        } else {
            model.classProbabilities = weights.map { $0 / total }
        }

        var response = TrainResponse()
        response.model = try model.encoded()
        response.effectiveParameters = parameters.effective
        response.metrics["train_accuracy"] = total == 0 ? 0 : weights[majority] / total
        if total == 0 {
            response.notes.append("the training data is empty or has zero total weight")
        }
        context.reportProgress(1, "done")
        return response
    }
}

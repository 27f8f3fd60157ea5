import CRMPluginKit

/// The `neural-network` analysis plugin: a multilayer perceptron trained as scikit-learn's `MLPClassifier` with
/// its default `adam` solver.
///
/// Training runs on the calling thread (`max_threads` is not used): a mini-batch of 200 rows is too small a piece
/// of work to share between threads profitably on the small, shared machines crmd runs on.
struct NeuralNetworkPlugin: AnalysisPlugin {
    static let algorithmName = "neural-network"

    static let algorithm: Algorithm = {
        var algorithm = Algorithm()
        algorithm.name = algorithmName
        algorithm.displayName = "Neural network (multilayer perceptron)"
        algorithm.description_p =
            "Fully connected hidden layers (ReLU by default) and a softmax output, trained on the cross-entropy "
            + "with L2 regularisation by Adam on shuffled mini-batches, optionally stopping early on a held-out "
            + "validation fraction. Needs standardised features. A two-class problem gets two softmax outputs "
            + "(scikit-learn uses one logistic output; the functions the two can learn are the same)."
        algorithm.sklearnEquivalent = "sklearn.neural_network.MLPClassifier"
        algorithm.supportsProbabilities = true
        algorithm.supportsProgress = true
        algorithm.supportsFeatureImportances = false
        algorithm.supportsSampleWeights = true
        algorithm.parameters = [
            Parameter(
                "hidden_layer_sizes",
                .intList,
                default: "100",
                minimum: 1,
                description: "The number of units of each hidden layer, e.g. 64 or 64,32."
            ),
            Parameter(
                "activation",
                .string,
                default: "relu",
                allowedValues: ["relu", "tanh", "logistic", "identity"],
                description: "The activation of the hidden units."
            ),
            Parameter(
                "solver",
                .string,
                default: "adam",
                allowedValues: ["adam"],
                description: "The optimiser: adam only."
            ),
            Parameter(
                "alpha",
                .double,
                default: "0.0001",
                minimum: 0,
                description: "The strength of the L2 penalty on the weights (not the biases)."
            ),
            Parameter(
                "batch_size",
                .int,
                default: "auto",
                allowedValues: ["auto"],
                minimum: 1,
                description: "The rows per mini-batch; auto is min(200, rows). Larger than the rows: all rows."
            ),
            Parameter(
                "learning_rate_init",
                .double,
                default: "0.001",
                minimum: 0,
                description: "Adam's step size; must be positive."
            ),
            Parameter(
                "max_iter",
                .int,
                default: "200",
                minimum: 1,
                description: "The most epochs (passes over the training rows)."
            ),
            Parameter(
                "tol",
                .double,
                default: "0.0001",
                minimum: 0,
                description: "The improvement of the loss (or of the validation score with early_stopping) below "
                    + "which an epoch counts as no improvement."
            ),
            Parameter(
                "n_iter_no_change",
                .int,
                default: "10",
                minimum: 1,
                description: "Training stops after more than this many epochs in a row without improvement."
            ),
            Parameter(
                "early_stopping",
                .bool,
                default: "false",
                description: "Hold out a stratified validation_fraction of the rows, stop when their accuracy no "
                    + "longer improves, and keep the weights of the best epoch."
            ),
            Parameter(
                "validation_fraction",
                .double,
                default: "0.1",
                minimum: 0,
                maximum: 1,
                description: "The fraction of the rows held out for early stopping; below 1, above 0."
            ),
            Parameter(
                "beta_1",
                .double,
                default: "0.9",
                minimum: 0,
                maximum: 1,
                description: "Adam's decay of the first moment estimate, in [0, 1)."
            ),
            Parameter(
                "beta_2",
                .double,
                default: "0.999",
                minimum: 0,
                maximum: 1,
                description: "Adam's decay of the second moment estimate, in [0, 1)."
            ),
            Parameter(
                "epsilon",
                .double,
                default: "1e-08",
                minimum: 0,
                description: "Adam's guard against division by zero; must be positive."
            ),
            Parameter(
                "shuffle",
                .bool,
                default: "true",
                description: "Whether to shuffle the rows before each epoch."
            ),
            Parameter(
                "random_state",
                .int,
                default: "None",
                nullable: true,
                minimum: 0,
                maximum: 4_294_967_295,
                description: "The seed of the initial weights, the shuffling and the validation split, drawn as "
                    + "scikit-learn draws them; TrainRequest.random_state (taken modulo 2^32) when set. None: any."
            ),
        ]
        return algorithm
    }()

    /// The address space this plugin's process may use; `nil` when the host sets none.
    let memoryLimit: UInt64?

    init(configuration: PluginConfiguration) throws {
        memoryLimit = configuration.memoryLimitBytes
        configuration.host.log(.debug, "neural-network plugin loaded")
    }

    func describe() throws -> DescribeResponse {
        var response = DescribeResponse()
        response.algorithms = [Self.algorithm]
        return response
    }

    func train(_ request: TrainRequest, context: PluginCallContext) throws -> TrainResponse {
        guard request.algorithm == Self.algorithmName else {
            throw PluginError(
                code: .invalidArgument,
                message: "unknown algorithm \"\(request.algorithm)\"; this plugin offers \(Self.algorithmName)"
            )
        }
        let parameters = try AlgorithmParameters(
            request.parameters,
            declared: Self.algorithm.parameters,
            algorithm: Self.algorithmName
        )
        let dataset = request.dataset
        let settings = try NetworkSettings(parameters: parameters, request: request)
        guard dataset.rowCount > 0 else {
            throw PluginError(code: .invalidArgument, message: "dataset: training needs at least one row")
        }
        guard dataset.sampleWeights.isEmpty || dataset.sampleWeights.contains(where: { $0 > 0 }) else {
            throw PluginError(code: .invalidArgument, message: "dataset: the sample weights are all zero")
        }
        try settings.checkMemory(
            features: dataset.featureCount,
            classes: dataset.classNames.count,
            rows: dataset.rowCount,
            budget: NetworkSettings.trainingBudget(processLimit: memoryLimit, datasetValues: dataset.values.count)
        )
        var trainer = try NetworkTrainer(dataset: dataset, settings: settings)
        let outcome = try trainer.train(context: context)

        var response = TrainResponse()
        response.model = outcome.model.encoded()
        response.lossCurve = outcome.lossCurve
        response.nIterations = Int32(outcome.lossCurve.count)
        var effective = parameters.effective
        effective["random_state"] = String(settings.seed)
        effective["batch_size"] = String(settings.batchSize(rows: trainer.trainingRowCount))
        effective["hidden_layer_sizes"] = settings.hiddenLayerSizes.map(String.init).joined(separator: ",")
        response.effectiveParameters = effective
        response.metrics = [
            "train_accuracy": outcome.model.accuracy(on: dataset),
            "final_loss": outcome.lossCurve.last ?? 0,
            "n_parameters": Double(outcome.model.shape.parameterCount),
        ]
        if let best = outcome.bestValidationScore {
            response.metrics["best_validation_score"] = best
            response.metrics["best_validation_iteration"] = Double(outcome.bestValidationEpoch ?? 0)
        }
        if outcome.stoppedEarly == false {
            response.notes.append(
                "did not converge after \(settings.maxIterations) iterations: the stochastic optimiser reached "
                    + "max_iter before the \(settings.earlyStopping ? "validation score" : "loss") stopped "
                    + "improving by tol (scikit-learn's ConvergenceWarning)"
            )
        }
        if settings.earlyStopping {
            response.notes.append(
                "early stopping held out \(trainer.validationRowCount) of \(dataset.rowCount) rows; the weights "
                    + "are those of the epoch with the best validation accuracy"
            )
        }
        if dataset.classNames.count == 2 {
            response.notes.append("two classes: a softmax output of two units (scikit-learn uses one logistic unit)")
        }
        context.reportProgress(1, "done")
        return response
    }

    func predict(_ request: PredictRequest, context: PluginCallContext) throws -> PredictResponse {
        let model = try NetworkModel(decoding: request.model)
        let dataset = request.dataset
        guard model.shape.featureCount == dataset.featureCount else {
            throw PluginError(
                code: .invalidArgument,
                message: "the model was trained on \(model.shape.featureCount) features, the rows have "
                    + "\(dataset.nFeatures)"
            )
        }
        var response = PredictResponse()
        let classCount = model.shape.classCount
        response.nClasses = Int32(classCount)
        var probabilities = [Double](repeating: 0, count: dataset.rowCount * classCount)
        var classes = [Int32](repeating: 0, count: dataset.rowCount)
        try model.predict(dataset.values, rows: dataset.rowCount, probabilities: &probabilities, classes: &classes) {
            done in
            try context.checkCancellation()
            context.reportProgress(Double(done) / Double(max(dataset.rowCount, 1)), "predicting")
        }
        response.predictedClasses = classes
        response.probabilities = probabilities
        return response
    }
}

import CRMPluginKit

/// The training parameters, read and checked.
struct NetworkSettings {
    var hiddenLayerSizes: [Int]
    var activation: NetworkModel.Activation
    var alpha: Double
    /// `nil` for `auto`: min(200, rows).
    var batchSize: Int?
    var learningRate: Double
    var maxIterations: Int
    var tolerance: Double
    var iterationsWithoutChange: Int
    var earlyStopping: Bool
    var validationFraction: Double
    var beta1: Double
    var beta2: Double
    var epsilon: Double
    var shuffle: Bool
    /// The seed of NumPy's `RandomState`: the request's or the parameter's, else a random one.
    var seed: UInt32

    init(parameters: AlgorithmParameters, request: TrainRequest) throws(PluginError) {
        func refuse(_ name: String, _ expected: String) -> PluginError {
            PluginError(
                code: .invalidArgument,
                message: "parameter \"\(name)\" of algorithm \(NeuralNetworkPlugin.algorithmName) must be "
                    + "\(expected), not \"\(parameters.text(name))\""
            )
        }
        hiddenLayerSizes = try parameters.intList("hidden_layer_sizes") ?? [100]
        guard hiddenLayerSizes.count <= 64, hiddenLayerSizes.allSatisfy({ $0 <= 1 << 16 }) else {
            throw refuse("hidden_layer_sizes", "at most 64 layers of at most 65536 units")
        }
        switch try parameters.string("activation") {
        case "tanh": activation = .tanh
        case "logistic": activation = .logistic
        case "identity": activation = .identity
        default: activation = .relu
        }
        alpha = try parameters.double("alpha") ?? 0.0001
        batchSize = parameters.keyword("batch_size") == "auto" ? nil : try parameters.int("batch_size")
        learningRate = try parameters.double("learning_rate_init") ?? 0.001
        guard learningRate > 0 else {
            throw refuse("learning_rate_init", "positive")
        }
        maxIterations = try parameters.int("max_iter") ?? 200
        tolerance = try parameters.double("tol") ?? 0.0001
        iterationsWithoutChange = try parameters.int("n_iter_no_change") ?? 10
        earlyStopping = try parameters.bool("early_stopping")
        validationFraction = try parameters.double("validation_fraction") ?? 0.1
        guard validationFraction < 1 else {
            throw refuse("validation_fraction", "below 1")
        }
        if earlyStopping && validationFraction <= 0 {
            throw refuse("validation_fraction", "above 0 with early_stopping")
        }
        beta1 = try parameters.double("beta_1") ?? 0.9
        guard beta1 < 1 else {
            throw refuse("beta_1", "in [0, 1)")
        }
        beta2 = try parameters.double("beta_2") ?? 0.999
        guard beta2 < 1 else {
            throw refuse("beta_2", "in [0, 1)")
        }
        epsilon = try parameters.double("epsilon") ?? 1e-8
        guard epsilon > 0 else {
            throw refuse("epsilon", "positive")
        }
        shuffle = try parameters.bool("shuffle")
        if let seed = try parameters.randomState(for: request) {
            self.seed = UInt32(truncatingIfNeeded: seed)
        } else {
            var system = SystemRandomNumberGenerator()
            self.seed = UInt32.random(in: 0...UInt32.max, using: &system)
        }
    }

    /// The rows per mini-batch for `rows` training rows.
    func batchSize(rows: Int) -> Int {
        max(1, min(batchSize ?? 200, rows))
    }

    /// The most memory one training may ask for when the host sets no limit (2 GiB): the plugin then
    /// runs inside crmd. Layer sizes that each pass their own bound can still multiply into tens of
    /// gigabytes: `65536,65536` is 4.3 billion weights.
    static let defaultBudget = 2 << 30
    /// Address space a plugin process needs besides the training: the runtime, libraries, stacks.
    static let processOverhead: UInt64 = 512 << 20

    /// The bytes a training may use: the process's limit less the runtime and the dataset (held
    /// twice: as received and as the trainer's matrix); ``defaultBudget`` without a limit.
    static func trainingBudget(processLimit: UInt64?, datasetValues: Int) -> Int {
        guard let processLimit else { return defaultBudget }
        let dataset = UInt64(datasetValues) * 16
        let budget = processLimit > processOverhead + dataset ? processLimit - processOverhead - dataset : 0
        return Int(min(budget, UInt64(Int.max)))
    }

    /// The bytes a training of this shape holds at its peak: the weights, their gradients and
    /// Adam's two moments (four doubles per parameter), the best weights kept for early
    /// stopping, and the activations and deltas of one mini-batch for every layer.
    func estimatedMemory(features: Int, classes: Int, rows: Int) -> Double {
        let units = [features] + hiddenLayerSizes + [max(classes, 2)]
        let parameters = zip(units, units.dropFirst()).reduce(0.0) { $0 + Double($1.0 + 1) * Double($1.1) }
        let batch = Double(batchSize(rows: rows))
        let activations = batch * units.reduce(0.0) { $0 + Double($1) } * 2
        return 8 * (parameters * (earlyStopping ? 5 : 4) + activations)
    }

    /// Refuses, before anything is allocated, a network whose training would need more than `budget`
    /// bytes (``trainingBudget(processLimit:datasetValues:)``).
    func checkMemory(features: Int, classes: Int, rows: Int, budget: Int) throws(PluginError) {
        let estimate = estimatedMemory(features: features, classes: classes, rows: rows)
        guard estimate <= Double(budget) else {
            let gib = (estimate / Double(1 << 30) * 10).rounded() / 10
            throw PluginError(
                code: .invalidArgument,
                message:
                    "parameter \"hidden_layer_sizes\" of algorithm \(NeuralNetworkPlugin.algorithmName): a network "
                    + "of layers \(hiddenLayerSizes.map(String.init).joined(separator: ",")) on \(features) features "
                    + "needs about \(gib) GiB to train, more than the \((Double(budget) / Double(1 << 30) * 10).rounded() / 10) GiB "
                    + "its process may use (plugin_host.memory_limit less the runtime and the dataset); use fewer or "
                    + "smaller layers (or a smaller batch_size)"
            )
        }
    }
}

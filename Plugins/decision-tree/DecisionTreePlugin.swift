import CRMPluginKit

/// The `decision-tree` analysis plugin: CART as scikit-learn's `DecisionTreeClassifier`.
struct DecisionTreePlugin: AnalysisPlugin {
    static let algorithmName = "decision-tree"

    static let algorithm: Algorithm = {
        var algorithm = Algorithm()
        algorithm.name = algorithmName
        algorithm.displayName = "Decision tree (CART)"
        algorithm.description_p =
            "A binary tree of threshold tests on single features, grown greedily by the best impurity decrease "
            + "(gini or entropy). Explainable, with feature importances; no scaling needed."
        algorithm.sklearnEquivalent = "sklearn.tree.DecisionTreeClassifier"
        algorithm.supportsProbabilities = true
        algorithm.supportsProgress = true
        algorithm.supportsFeatureImportances = true
        algorithm.supportsSampleWeights = true
        algorithm.parameters = [
            Parameter(
                "criterion",
                .string,
                default: "gini",
                allowedValues: ["gini", "entropy", "log_loss"],
                description: "The impurity a split minimises: gini, or entropy (log_loss is the same as entropy)."
            ),
            Parameter(
                "max_depth",
                .int,
                default: "None",
                nullable: true,
                minimum: 1,
                description: "The maximum depth of the tree; None grows it until the leaves are pure or too small."
            ),
            Parameter(
                "min_samples_split",
                .int,
                default: "2",
                minimum: 2,
                description: "The fewest rows a node must have to be split."
            ),
            Parameter(
                "min_samples_leaf",
                .int,
                default: "1",
                minimum: 1,
                description: "The fewest rows each side of a split must keep."
            ),
            Parameter(
                "class_weight",
                .doubleMap,
                default: "None",
                allowedValues: ["balanced"],
                nullable: true,
                minimum: 0,
                description: "Weights of the classes: None (all 1), balanced (inversely proportional to the class "
                    + "frequencies), or class:weight pairs by class name or index."
            ),
            Parameter(
                "random_state",
                .int,
                default: "None",
                nullable: true,
                minimum: 0,
                maximum: 4_294_967_295,
                description: "The seed of the order in which features are tried at each node (it decides between "
                    + "equally good splits), drawn as scikit-learn draws it; TrainRequest.random_state (taken modulo 2^32) when set. "
                    + "None: any order."
            ),
        ]
        return algorithm
    }()

    init(configuration: PluginConfiguration) throws {
        configuration.host.log(.debug, "decision-tree plugin loaded")
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
        let settings = try TreeSettings(parameters: parameters, request: request)
        let classWeights = try Self.classWeights(parameters, dataset: dataset)
        var sampleWeights = [Double](repeating: 1, count: dataset.rowCount)
        for row in 0..<dataset.rowCount {
            let base = dataset.sampleWeights.isEmpty ? 1 : dataset.sampleWeights[row]
            sampleWeights[row] = base * classWeights[Int(dataset.labels[row])]
        }
        guard dataset.rowCount > 0 else {
            throw PluginError(code: .invalidArgument, message: "dataset: training needs at least one row")
        }
        guard sampleWeights.reduce(0, +) > 0 else {
            throw PluginError(code: .invalidArgument, message: "dataset: the sample weights are all zero")
        }
        var builder = TreeBuilder(dataset: dataset, weights: sampleWeights, settings: settings)
        let tree = try builder.build(context: context)

        var response = TrainResponse()
        response.model = tree.encoded()
        var effective = parameters.effective
        if let seed = settings.seed {
            effective["random_state"] = String(seed)
        }
        if effective["criterion"] == "log_loss" {
            effective["criterion"] = "entropy"
        }
        response.effectiveParameters = effective
        let importances = builder.featureImportances(tree)
        if importances.contains(where: { $0 > 0 }) {
            response.featureImportances = importances
        } else {
            response.notes.append("the tree has no split (one leaf), so no feature importances")
        }
        var correct = 0
        for row in 0..<dataset.rowCount where tree.predictClass(dataset.row(row)) == Int(dataset.labels[row]) {
            correct += 1
        }
        response.metrics = [
            "train_accuracy": Double(correct) / Double(dataset.rowCount),
            "tree_depth": Double(tree.depth),
            "n_leaves": Double(tree.leafCount),
            "n_nodes": Double(tree.nodeCount),
        ]
        context.reportProgress(1, "done")
        return response
    }

    func predict(_ request: PredictRequest, context: PluginCallContext) throws -> PredictResponse {
        let tree = try TreeModel(decoding: request.model)
        let dataset = request.dataset
        guard tree.featureCount == dataset.featureCount else {
            throw PluginError(
                code: .invalidArgument,
                message: "the model was trained on \(tree.featureCount) features, the rows have \(dataset.nFeatures)"
            )
        }
        var response = PredictResponse()
        response.nClasses = Int32(tree.classCount)
        response.predictedClasses.reserveCapacity(dataset.rowCount)
        response.probabilities.reserveCapacity(dataset.rowCount * tree.classCount)
        for row in 0..<dataset.rowCount {
            if row % 8192 == 0 {
                try context.checkCancellation()
                context.reportProgress(Double(row) / Double(max(dataset.rowCount, 1)), "predicting")
            }
            let leaf = tree.leaf(for: dataset.row(row))
            response.predictedClasses.append(Int32(tree.leafClass(leaf)))
            response.probabilities.append(contentsOf: tree.probabilities(of: leaf))
        }
        return response
    }

    /// One weight per class index: 1, balanced (`n_samples / (n_present_classes · count)`), or as given.
    static func classWeights(_ parameters: AlgorithmParameters, dataset: Dataset) throws -> [Double] {
        let classCount = dataset.classNames.count
        var weights = [Double](repeating: 1, count: classCount)
        if parameters.keyword("class_weight") == "balanced" {
            var counts = [Int](repeating: 0, count: classCount)
            for label in dataset.labels {
                counts[Int(label)] += 1
            }
            let present = Double(counts.filter { $0 > 0 }.count)
            for index in 0..<classCount where counts[index] > 0 {
                weights[index] = Double(dataset.rowCount) / (present * Double(counts[index]))
            }
            return weights
        }
        guard let pairs = try parameters.doubleMap("class_weight") else {
            return weights
        }
        for (key, value) in pairs {
            if let index = dataset.classNames.firstIndex(of: key) {
                weights[index] = value
            } else if let index = Int(key), dataset.classNames.indices.contains(index) {
                weights[index] = value
            } else {
                throw PluginError(
                    code: .invalidArgument,
                    message: "parameter \"class_weight\" names class \"\(key)\", which is not a class name or index "
                        + "of the dataset (\(dataset.classNames.joined(separator: ", ")))"
                )
            }
        }
        return weights
    }
}

/// The growth parameters, read and checked.
struct TreeSettings {
    enum Criterion: UInt8 {
        case gini = 0
        case entropy = 1
    }

    var criterion: Criterion
    var maxDepth: Int?
    var minSamplesSplit: Int
    var minSamplesLeaf: Int
    /// Set when training must be deterministic.
    var seed: Int64?

    init(parameters: AlgorithmParameters, request: TrainRequest) throws {
        criterion = try parameters.string("criterion") == "gini" ? .gini : .entropy
        maxDepth = try parameters.int("max_depth")
        minSamplesSplit = try parameters.int("min_samples_split") ?? 2
        minSamplesLeaf = try parameters.int("min_samples_leaf") ?? 1
        seed = try parameters.randomState(for: request)
    }
}

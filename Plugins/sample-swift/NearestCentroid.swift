import CRMPluginKit
import Foundation

/// scikit-learn's `NearestCentroid`, with its shrunken-centroid option (Tibshirani et al., 2002).
enum NearestCentroid {
    static let algorithm: Algorithm = {
        var algorithm = Algorithm()
        algorithm.name = "nearest-centroid"
        algorithm.displayName = "Nearest centroid"
        algorithm.description_p =
            "Represents each class by the centroid of its rows and predicts the class of the nearest centroid. "
            + "Fast, with no iterations; a good first model on standardised features."
        algorithm.sklearnEquivalent = "sklearn.neighbors.NearestCentroid"
        algorithm.supportsProbabilities = true
        algorithm.supportsDecisionScores = true
        algorithm.supportsProgress = true
        algorithm.parameters = [
            Parameter(
                "metric",
                .string,
                default: "euclidean",
                allowedValues: ["euclidean", "manhattan"],
                description: "The distance: euclidean (centroids are means) or manhattan (centroids are medians)."
            ),
            Parameter(
                "shrink_threshold",
                .double,
                default: "None",
                nullable: true,
                minimum: 0,
                description: "Shrinks each centroid towards the overall mean by this many standard deviations, "
                    + "dropping features that do not separate the classes; None does not shrink."
            ),
            Parameter(
                "priors",
                .doubleList,
                default: "uniform",
                allowedValues: ["uniform", "empirical"],
                minimum: 0,
                description: "The class priors: uniform, empirical (the class frequencies), or one probability "
                    + "per class. They weigh the probabilities and, unless uniform, the prediction."
            ),
        ]
        return algorithm
    }()

    static func train(_ request: TrainRequest, context: PluginCallContext) throws -> TrainResponse {
        let parameters = try AlgorithmParameters(
            request.parameters,
            declared: algorithm.parameters,
            algorithm: algorithm.name
        )
        let metric = ClassifierModel.Metric(rawValue: try parameters.string("metric") ?? "euclidean") ?? .euclidean
        let shrinkThreshold = try parameters.double("shrink_threshold")
        let dataset = request.dataset
        let (rows, width, classCount) = (dataset.rowCount, dataset.featureCount, dataset.classNames.count)

        var rowsOfClass = [[Int]](repeating: [], count: classCount)
        for (row, label) in dataset.labels.enumerated() {
            rowsOfClass[Int(label)].append(row)
        }
        let presentClasses = rowsOfClass.filter { !$0.isEmpty }.count
        var priors: [Double]
        switch parameters.keyword("priors") {
        case "uniform":
            priors = rowsOfClass.map { $0.isEmpty ? 0 : 1 / Double(presentClasses) }
        case "empirical":
            priors = rowsOfClass.map { Double($0.count) / Double(max(rows, 1)) }
        default:
            priors = try parameters.doubleList("priors") ?? []
            let total = priors.reduce(0, +)
            guard priors.count == classCount, total > 0 else {
                throw PluginError(
                    code: .invalidArgument,
                    message: "parameter \"priors\" needs one probability per class (\(classCount)), summing to 1"
                )
            }
            priors = priors.map { $0 / total }
        }
        var centroids = [[Double]?](repeating: nil, count: classCount)
        for (label, members) in rowsOfClass.enumerated() where !members.isEmpty {
            try context.checkCancellation()
            context.reportProgress(Double(label) / Double(classCount), "centroid of \(dataset.classNames[label])")
            var centroid = [Double](repeating: 0, count: width)
            switch metric {
            case .euclidean:
                for row in members {
                    for (feature, value) in dataset.row(row).enumerated() {
                        centroid[feature] += value
                    }
                }
                centroid = centroid.map { $0 / Double(members.count) }
            case .manhattan:
                for feature in 0..<width {
                    centroid[feature] = median(members.map { dataset.values[$0 * width + feature] })
                }
            }
            centroids[label] = centroid
        }
        let deviation = withinClassStandardDeviation(
            centroids,
            rowsOfClass: rowsOfClass,
            dataset: dataset,
            presentClasses: presentClasses
        )
        if let shrinkThreshold, shrinkThreshold > 0 {
            centroids = shrink(
                centroids,
                rowsOfClass: rowsOfClass,
                dataset: dataset,
                deviation: deviation,
                threshold: shrinkThreshold
            )
        }

        var model = ClassifierModel(algorithm: algorithm.name, featureCount: width, classCount: classCount)
        model.centroids = centroids
        model.metric = metric
        model.scale = deviation.map { $0 == 0 ? 1 : $0 }
        model.logPriors = priors.map { $0 > 0 ? log($0) : -.infinity }
        model.uniformPriors = parameters.keyword("priors") == "uniform"
        var response = TrainResponse()
        response.model = try model.encoded()
        response.effectiveParameters = parameters.effective
        let predicted = try model.predict(dataset, context: PluginCallContext(host: context.host))
        let correct = zip(predicted.predictedClasses, dataset.labels).filter { $0 == $1 }.count
        response.metrics["train_accuracy"] = rows == 0 ? 0 : Double(correct) / Double(rows)
        for (label, members) in rowsOfClass.enumerated() where members.isEmpty {
            response.notes.append("class \"\(dataset.classNames[label])\" has no training rows and is never predicted")
        }
        context.reportProgress(1, "done")
        return response
    }

    /// The pooled within-class standard deviation of each feature, around the unshrunken centroids.
    private static func withinClassStandardDeviation(
        _ centroids: [[Double]?],
        rowsOfClass: [[Int]],
        dataset: Dataset,
        presentClasses: Int
    ) -> [Double] {
        var variance = [Double](repeating: 0, count: dataset.featureCount)
        for (label, members) in rowsOfClass.enumerated() {
            guard let centroid = centroids[label] else {
                continue
            }
            for row in members {
                for (feature, value) in dataset.row(row).enumerated() {
                    variance[feature] += (value - centroid[feature]) * (value - centroid[feature])
                }
            }
        }
        let degreesOfFreedom = Double(max(dataset.rowCount - presentClasses, 1))
        return variance.map { ($0 / degreesOfFreedom).squareRoot() }
    }

    /// scikit-learn's shrunken centroids: each class's deviation from the overall mean, in units of the
    /// within-class standard deviation, is soft-thresholded by `threshold`.
    private static func shrink(
        _ centroids: [[Double]?],
        rowsOfClass: [[Int]],
        dataset: Dataset,
        deviation: [Double],
        threshold: Double
    ) -> [[Double]?] {
        let (rows, width) = (dataset.rowCount, dataset.featureCount)
        var overall = [Double](repeating: 0, count: width)
        for row in 0..<rows {
            for (feature, value) in dataset.row(row).enumerated() {
                overall[feature] += value / Double(rows)
            }
        }
        let offset = median(deviation)
        let spread = deviation.map { $0 + offset }
        return centroids.enumerated().map { label, centroid in
            guard let centroid else {
                return nil
            }
            let scale = (1 / Double(rowsOfClass[label].count) - 1 / Double(rows)).squareRoot()
            return (0..<width).map { feature in
                let unit = scale * spread[feature]
                guard unit > 0 else {
                    return overall[feature]
                }
                let standardised = (centroid[feature] - overall[feature]) / unit
                let shrunk = max(abs(standardised) - threshold, 0) * (standardised < 0 ? -1 : 1)
                return overall[feature] + unit * shrunk
            }
        }
    }
}

/// The median; the mean of the two middle values for an even count.
func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else {
        return 0
    }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

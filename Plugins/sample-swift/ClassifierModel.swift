import CRMPluginKit
import Foundation

/// A trained model of either algorithm, and its byte format: versioned JSON.
struct ClassifierModel: Codable {
    /// The byte format's version; bumped when the format changes (older versions must stay readable).
    static let formatVersion = 1

    enum Metric: String, Codable {
        case euclidean
        case manhattan
    }

    var format = "crm-sample-nearest-centroid"
    var version = Self.formatVersion
    var algorithm: String
    var featureCount: Int
    var classCount: Int
    /// nearest-centroid: one centroid per class, `nil` for a class without training rows.
    var centroids: [[Double]?] = []
    var metric: Metric = .euclidean
    /// nearest-centroid: each feature's within-class standard deviation (1 where it is 0), which scales the
    /// distances behind the probabilities.
    var scale: [Double] = []
    /// nearest-centroid: the log prior of each class (-∞ for a class never predicted).
    var logPriors: [Double] = []
    /// nearest-centroid: whether the priors are uniform; then the class is that of the nearest centroid.
    var uniformPriors = true
    /// majority-class: the probability of each class, as predicted for every row.
    var classProbabilities: [Double] = []

    init(algorithm: String, featureCount: Int, classCount: Int) {
        self.algorithm = algorithm
        self.featureCount = featureCount
        self.classCount = classCount
    }

    init(decoding bytes: Data) throws {
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = Self.nonFinite
            self = try decoder.decode(ClassifierModel.self, from: bytes)
        } catch {
            throw PluginError(
                code: .failedPrecondition,
                message: "the model bytes are not a model of this plugin: \(error)",
                cause: error
            )
        }
        guard format == "crm-sample-nearest-centroid", version <= Self.formatVersion else {
            throw PluginError(
                code: .failedPrecondition,
                message:
                    "model format \(format) version \(version) is newer than this plugin reads (\(Self.formatVersion))"
            )
        }
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = Self.nonFiniteEncoding
        return try encoder.encode(self)
    }

    /// JSON has no infinities: a class whose prior is 0 has a log prior of -inf (it is never
    /// predicted), which plain JSONEncoder refused — training failed with UNKNOWN (issue 9's fuzzer).
    static let nonFiniteEncoding = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "inf",
        negativeInfinity: "-inf",
        nan: "nan"
    )
    static let nonFinite = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "inf",
        negativeInfinity: "-inf",
        nan: "nan"
    )

    /// Predicts every row: a class, and a probability per class.
    func predict(
        _ dataset: Dataset,
        wantDecisionScores: Bool = false,
        context: PluginCallContext
    ) throws -> PredictResponse {
        var response = PredictResponse()
        response.nClasses = Int32(classCount)
        response.predictedClasses.reserveCapacity(dataset.rowCount)
        response.probabilities.reserveCapacity(dataset.rowCount * classCount)
        if algorithm == MajorityClass.algorithm.name {
            let majority = Int32(
                classProbabilities.indices.max { classProbabilities[$0] < classProbabilities[$1] } ?? 0
            )
            for _ in 0..<dataset.rowCount {
                response.predictedClasses.append(majority)
                response.probabilities.append(contentsOf: classProbabilities)
            }
            return response
        }
        var distances = [Double](repeating: 0, count: classCount)
        var discriminants = [Double](repeating: 0, count: classCount)
        for row in 0..<dataset.rowCount {
            if row % 4096 == 0 {
                try context.checkCancellation()
                context.reportProgress(Double(row) / Double(dataset.rowCount), "predicting")
            }
            let values = dataset.row(row)
            for (index, centroid) in centroids.enumerated() {
                // As scikit-learn: the discriminant -d(x/s, μ/s)² + 2·log(prior) gives the probabilities, and the
                // class unless the priors are uniform; then the nearest centroid does. A class without training
                // rows is never predicted.
                guard let centroid else {
                    distances[index] = .infinity
                    discriminants[index] = -.infinity
                    continue
                }
                distances[index] = distance(values, centroid, scale: nil)
                let scaled = distance(values, centroid, scale: scale)
                discriminants[index] = -scaled * scaled + 2 * logPriors[index]
            }
            let best =
                uniformPriors
                ? distances.indices.min { distances[$0] < distances[$1] } ?? 0
                : discriminants.indices.max { discriminants[$0] < discriminants[$1] } ?? 0
            response.predictedClasses.append(Int32(best))
            response.probabilities.append(contentsOf: softmax(discriminants))
            if wantDecisionScores {
                // scikit-learn's decision_function: one column for two classes, else one per class.
                if classCount == 2 {
                    response.decisionScores.append(discriminants[1] - discriminants[0])
                } else {
                    response.decisionScores.append(contentsOf: discriminants)
                }
            }
        }
        if wantDecisionScores {
            response.nScoreColumns = classCount == 2 ? 1 : Int32(classCount)
        }
        return response
    }

    /// The Euclidean or Manhattan distance between a row and a centroid, each feature divided by `scale`.
    func distance(_ row: ArraySlice<Double>, _ centroid: [Double], scale: [Double]?) -> Double {
        var sum = 0.0
        for (feature, (value, centre)) in zip(row, centroid).enumerated() {
            let difference = (value - centre) / (scale?[feature] ?? 1)
            sum += metric == .euclidean ? difference * difference : abs(difference)
        }
        return metric == .euclidean ? sum.squareRoot() : sum
    }
}

/// Probabilities from scores, stable for large magnitudes; classes scored -∞ get 0.
func softmax(_ scores: [Double]) -> [Double] {
    let top = scores.max() ?? 0
    guard top.isFinite else {
        return scores.map { _ in 1 / Double(scores.count) }
    }
    let exponentials = scores.map { exp($0 - top) }
    let total = exponentials.reduce(0, +)
    return exponentials.map { $0 / total }
}

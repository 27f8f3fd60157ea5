import CRMCore
import CRMProto
import Foundation

/// Scores rows with a stored model: the host's preprocessing, then the plugin's `predict`, then
/// the drivers of each score.
struct ModelScoring {
    let host: PluginHost
    let stored: StoredModel
    let preprocessing: ModelPreprocessing

    /// How many drivers each score keeps.
    static var driverCount: Int { 3 }

    init(host: PluginHost, stored: StoredModel) throws {
        self.host = host
        self.stored = stored
        self.preprocessing = try ModelPreprocessing(decoding: stored.preprocessing)
    }

    /// One scored row.
    struct Score {
        var predictedClass: Int
        var probabilities: [Double]
        var drivers: [ScoreDriver]
    }

    /// Scores raw rows (missing values as nil) in the model's feature order.
    func score(_ rows: [[Double?]]) async throws -> [Score] {
        let width = preprocessing.featureNames.count
        let matrix = preprocessing.preprocessor.transform(rows)
        let classifier = PluginClassifier(
            host: host,
            plugin: stored.plugin,
            algorithm: stored.algorithm,
            parameters: [:],
            seed: nil,
            featureNames: preprocessing.featureNames,
            classNames: preprocessing.classNames
        )
        let predicted = try await classifier.predict(model: stored.model, rows: matrix)
        let classCount = preprocessing.classNames.count
        return rows.indices.map { row in
            // A driver: an important feature on which this row stands far from the training mean.
            var weights: [(Int, Double)] = []
            for feature in 0..<width {
                let importance = preprocessing.importances.count == width ? preprocessing.importances[feature] : 0
                let weight = importance * abs(matrix[row * width + feature])
                if weight > 0 {
                    weights.append((feature, weight))
                }
            }
            weights.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            let drivers = weights.prefix(Self.driverCount).map { feature, weight in
                ScoreDriver(feature: preprocessing.featureNames[feature], value: rows[row][feature], weight: weight)
            }
            return Score(
                predictedClass: predicted.classes[row],
                probabilities: Array(predicted.probabilities[row * classCount..<(row + 1) * classCount]),
                drivers: drivers
            )
        }
    }

    /// Scores customers from their histories as of `asOf`.
    func score(_ histories: [CustomerHistory], asOf: Date) async throws -> [CustomerScore] {
        guard let schema = preprocessing.schema else {
            throw CRMError(
                .failedPrecondition,
                "\(stored.resourceName) was trained on an uploaded table, not on the registry: score rows with "
                    + "PredictRequest.dataset"
            )
        }
        let snapshot = ScoringSnapshot.build(histories: histories, schema: schema, asOf: asOf)
        let scores = try await score(snapshot.rows)
        return zip(histories, scores).map { history, score in
            CustomerScore(
                customerID: history.customer.id,
                predictedClass: preprocessing.classNames[score.predictedClass],
                confidence: score.probabilities[score.predictedClass],
                probabilities: score.probabilities,
                drivers: score.drivers
            )
        }
    }
}

extension Crm_V1_Prediction {
    init(_ score: CustomerScore, classNames: [String]) {
        self.init()
        customer = ResourceName.customer(score.customerID)
        predictedClass = score.predictedClass
        confidence = score.confidence
        probabilities = Crm_V1_ClassProbability.list(classNames, score.probabilities)
        drivers = score.drivers.map(Crm_V1_Driver.init)
    }
}

extension Crm_V1_ClassProbability {
    init(className: String, probability: Double) {
        self.init()
        self.className = className
        self.probability = probability
    }

    /// One per class, in the model's class order.
    static func list(_ classNames: [String], _ probabilities: [Double]) -> [Self] {
        zip(classNames, probabilities).map(Self.init)
    }
}

extension Crm_V1_Driver {
    init(_ driver: ScoreDriver) {
        self.init()
        feature = driver.feature
        if let value = driver.value {
            self.value = value
        }
        weight = driver.weight
        description_p = DriverText.describe(feature: driver.feature, value: driver.value)
    }
}

public import CRMCore
public import Foundation
import GRDB

extension SQLiteRegistry {
    public func storeModel(_ model: StoredModel) async throws -> StoredModel {
        try await writing { transaction in
            let db = transaction.db
            let now = transaction.now
            var stored = model
            let newest =
                try Int.fetchOne(
                    db,
                    sql: "SELECT max(version) FROM analysis_models WHERE target = ?",
                    arguments: [model.target]
                ) ?? 0
            stored.version = newest + 1
            stored.createTime = now
            try db.execute(
                sql: """
                    INSERT INTO analysis_models
                      (target, version, algorithm, plugin, create_time, summary, preprocessing, model)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stored.target, stored.version, stored.algorithm, stored.plugin,
                    now.microsecondsSince1970, stored.summary, stored.preprocessing, stored.model,
                ]
            )
            stored.id = db.lastInsertedRowID
            try transaction.changes.append(.train, before: nil, after: stored.changeImage)
            return stored
        }
    }

    public func model(id: Int64) async throws -> StoredModel {
        let found = try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.modelColumns) FROM analysis_models WHERE id = ?", arguments: [id])
                .map(Self.storedModel)
        }
        guard let found else {
            throw CRMError(.notFound, "models/\(id) does not exist")
        }
        return found
    }

    public func listModels(target: String, before: Int64?, limit: Int) async throws -> [StoredModel] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.modelColumns) FROM analysis_models
                    WHERE (? = '' OR target = ?) AND id < ?
                    ORDER BY id DESC LIMIT ?
                    """,
                arguments: [target, target, before ?? Int64.max, limit]
            ).map(Self.storedModel)
        }
    }

    public func storeScores(_ scores: [CustomerScore], modelID: Int64, at time: Date) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let rows = try scores.map { score in
            (score, String(decoding: try encoder.encode(Detail(score)), as: UTF8.self))
        }
        try await writing { transaction in
            let db = transaction.db
            let statement = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO analysis_predictions
                      (model_id, customer_id, score_time, predicted_class, confidence, detail)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """
            )
            for (score, detail) in rows {
                try statement.execute(arguments: [
                    modelID, score.customerID, time.microsecondsSince1970, score.predictedClass,
                    score.confidence, detail,
                ])
            }
            // One entry for the batch: scores are derived data, not a person's record.
            var fields = ChangeImage.Builder()
            fields.add("customers", Int64(rows.count))
            fields.add("score_time", time: time)
            try transaction.changes.append(
                .score,
                before: nil,
                after: ChangeImage(resource: "models/\(modelID)", customerID: 0, clear: fields.fields)
            )
        }
    }

    public func scores(modelID: Int64) async throws -> (scores: [CustomerScore], time: Date)? {
        let rows = try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.customer_id, p.score_time, p.predicted_class, p.confidence, p.detail
                    FROM analysis_predictions p JOIN customers c ON c.id = p.customer_id
                    WHERE p.model_id = ? AND c.delete_time IS NULL
                    ORDER BY p.customer_id
                    """,
                arguments: [modelID]
            ).map { row -> (Int64, Int64, String, Double, String) in (row[0], row[1], row[2], row[3], row[4]) }
        }
        guard !rows.isEmpty else { return nil }
        let decoder = JSONDecoder()
        var newest: Int64 = 0
        let scores = try rows.map { row in
            newest = max(newest, row.1)
            let detail: Detail
            do {
                detail = try decoder.decode(Detail.self, from: Data(row.4.utf8))
            } catch {
                throw CRMError(.internalError, "a stored score of models/\(modelID) is unreadable")
            }
            return CustomerScore(
                customerID: row.0,
                predictedClass: row.2,
                confidence: row.3,
                probabilities: detail.probabilities,
                drivers: detail.drivers
            )
        }
        return (scores, Date(microsecondsSince1970: newest))
    }

    public func score(modelID: Int64, customerID: Int64) async throws -> (score: CustomerScore, time: Date)? {
        let row = try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT score_time, predicted_class, confidence, detail FROM analysis_predictions
                    WHERE model_id = ? AND customer_id = ?
                    """,
                arguments: [modelID, customerID]
            ).map { row -> (Int64, String, Double, String) in (row[0], row[1], row[2], row[3]) }
        }
        guard let row else { return nil }
        let detail: Detail
        do {
            detail = try JSONDecoder().decode(Detail.self, from: Data(row.3.utf8))
        } catch {
            throw CRMError(.internalError, "a stored score of models/\(modelID) is unreadable")
        }
        let score = CustomerScore(
            customerID: customerID,
            predictedClass: row.1,
            confidence: row.2,
            probabilities: detail.probabilities,
            drivers: detail.drivers
        )
        return (score, Date(microsecondsSince1970: row.0))
    }

    /// The JSON kept beside the indexed columns of a score.
    private struct Detail: Codable {
        var probabilities: [Double]
        var drivers: [ScoreDriver]

        init(_ score: CustomerScore) {
            probabilities = score.probabilities
            drivers = score.drivers
        }
    }

    private static let modelColumns =
        "id, target, version, algorithm, plugin, create_time, summary, preprocessing, model"

    private static func storedModel(_ row: Row) -> StoredModel {
        StoredModel(
            id: row[0],
            target: row[1],
            version: row[2],
            algorithm: row[3],
            plugin: row[4],
            createTime: Date(microsecondsSince1970: row[5]),
            summary: row[6],
            preprocessing: row[7],
            model: row[8]
        )
    }
}

import Foundation
import Testing

@testable import CRMCore

@Suite("Store contract: models and scores")
struct ModelStoreConformance {
    static func model(_ target: String, bytes: [UInt8] = [1, 2, 3]) -> StoredModel {
        StoredModel(
            target: target,
            algorithm: "decision-tree",
            plugin: "decision-tree",
            summary: Data([9]),
            preprocessing: Data("{}".utf8),
            model: Data(bytes)
        )
    }

    @Test("versions count per target; the bytes come back as stored", arguments: StoreFactory.all)
    func versions(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let a1 = try await registry.store.storeModel(Self.model("churn", bytes: [0, 255, 7]))
        let b1 = try await registry.store.storeModel(Self.model("next-category"))
        let a2 = try await registry.store.storeModel(Self.model("churn"))
        #expect([a1.version, b1.version, a2.version] as [Int] == [1, 1, 2])
        #expect(a1.id < b1.id && b1.id < a2.id)
        let read = try await registry.store.model(id: a1.id)
        #expect(read.model == Data([0, 255, 7]) && read.target == "churn" && read.version == 1)
        #expect(read.createTime == a1.createTime)
        await #expect(throws: CRMError.self) { try await registry.store.model(id: 999) }
    }

    @Test("listing is newest first, by target, and pages with `before`", arguments: StoreFactory.all)
    func listing(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        var ids: [Int64] = []
        for target in ["churn", "tag:vip", "churn", "churn"] {
            ids.append(try await registry.store.storeModel(Self.model(target)).id)
        }
        let all = try await registry.store.listModels(target: "", before: nil, limit: 10)
        #expect(all.map(\.id) == ids.reversed())
        let churn = try await registry.store.listModels(target: "churn", before: nil, limit: 2)
        #expect(churn.map(\.id) == [ids[3], ids[2]])
        let next = try await registry.store.listModels(target: "churn", before: churn.last!.id, limit: 2)
        #expect(next.map(\.id) == [ids[0]])
    }

    @Test("a customer's score is replaced, not added; deleted customers drop out", arguments: StoreFactory.all)
    func scores(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let customers = try await registry.store.createCustomers([
            registry.customer("A"), registry.customer("B"),
        ])
        let model = try await registry.store.storeModel(Self.model("churn"))
        #expect(try await registry.store.scores(modelID: model.id) == nil)
        let first = Date(timeIntervalSince1970: 1_700_000_000)
        let driver = ScoreDriver(feature: "recency_days", value: nil, weight: 0.5)
        try await registry.store.storeScores(
            customers.map {
                CustomerScore(
                    customerID: $0.id,
                    predictedClass: "churned",
                    confidence: 0.8,
                    probabilities: [0.8, 0.2],
                    drivers: [driver]
                )
            },
            modelID: model.id,
            at: first
        )
        let later = first.addingTimeInterval(60)
        try await registry.store.storeScores(
            [
                CustomerScore(
                    customerID: customers[0].id,
                    predictedClass: "retained",
                    confidence: 0.9,
                    probabilities: [0.1, 0.9],
                    drivers: []
                )
            ],
            modelID: model.id,
            at: later
        )
        let stored = try #require(try await registry.store.scores(modelID: model.id))
        #expect(stored.time == later)
        #expect(stored.scores.count == 2)
        #expect(stored.scores[0].predictedClass == "retained" && stored.scores[0].probabilities == [0.1, 0.9])
        #expect(stored.scores[1].drivers == [driver])
        _ = try await registry.store.deleteCustomer(id: customers[1].id, expectedVersion: nil)
        #expect(try await registry.store.scores(modelID: model.id)?.scores.map(\.customerID) == [customers[0].id])
    }
}

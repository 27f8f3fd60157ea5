public import Foundation

/// Where trained models and the scores they gave are kept.
///
/// Models are written once and never change. Each has a `target` (what it predicts) and a version that
/// counts the models of that target from 1.
public protocol ModelStore: Sendable {
    /// Stores `model` as the next version of its target; returns it with id, version and `createTime` set.
    func storeModel(_ model: StoredModel) async throws -> StoredModel
    /// The model with `id`; `.notFound` when there is none.
    func model(id: Int64) async throws -> StoredModel
    /// Newest first, at most `limit`, with ids below `before` when given; only `target` when not empty.
    func listModels(target: String, before: Int64?, limit: Int) async throws -> [StoredModel]
    /// Replaces the scores `modelID` gave the customers in `scores`, all at `time`, in one transaction;
    /// other customers' scores stay.
    func storeScores(_ scores: [CustomerScore], modelID: Int64, at time: Date) async throws
    /// The stored scores of `modelID` for customers not deleted, by customer id, and when the newest was
    /// computed; nil when there are none.
    func scores(modelID: Int64) async throws -> (scores: [CustomerScore], time: Date)?
    /// The score `modelID` gave `customerID` and when it was computed; nil when it gave none.
    func score(modelID: Int64, customerID: Int64) async throws -> (score: CustomerScore, time: Date)?
}

public import Foundation

/// One run of the duplicate search (docs/duplicates.md).
public struct DuplicateRun: Sendable, Equatable {
    public var findTime: Date
    public var threshold: Double
    /// The customers compared.
    public var compared: Int64

    public init(findTime: Date, threshold: Double, compared: Int64) {
        self.findTime = findTime
        self.threshold = threshold
        self.compared = compared
    }
}

/// A group of customers found to be one person, as kept until the next run.
public struct StoredDuplicateGroup: Sendable, Equatable {
    /// Customer ids, ascending.
    public var members: [Int64]
    /// The weakest score of the pairs that joined the group.
    public var score: Double
    public var signals: [String]

    public init(members: [Int64], score: Double, signals: [String]) {
        self.members = members
        self.score = score
        self.signals = signals
    }
}

/// Keeps the groups of the newest duplicate search, and merges customers.
public protocol DuplicateStore: Sendable {
    /// Replaces the groups of the previous run with `groups`, in one transaction.
    func replaceDuplicateGroups(_ groups: [StoredDuplicateGroup], run: DuplicateRun) async throws

    /// The newest run, and its groups scoring at least `minScore`, strongest first, from `offset`.
    func duplicateGroups(
        minScore: Double,
        offset: Int,
        limit: Int
    ) async throws
        -> (run: DuplicateRun?, groups: [StoredDuplicateGroup], total: Int64)

    /// Merges in one transaction (``CustomerMerge``); with `validateOnly`, rolls it back and answers what
    /// it would have done.
    func mergeCustomers(_ request: CustomerMerge.Request, validateOnly: Bool) async throws -> CustomerMerge.Outcome
}

extension DuplicateStore where Self: RegistryStore {
    public func mergeCustomers(
        _ request: CustomerMerge.Request,
        validateOnly: Bool
    ) async throws
        -> CustomerMerge.Outcome
    {
        do {
            return try await transaction { transaction in
                let outcome = try CustomerMerge.apply(request, in: transaction)
                if validateOnly { throw ValidatedOnly(outcome: outcome) }
                return outcome
            }
        } catch let validated as ValidatedOnly {
            return validated.outcome
        }
    }
}

/// Rolls a validate-only merge back, carrying what it did.
private struct ValidatedOnly: Error {
    let outcome: CustomerMerge.Outcome
}

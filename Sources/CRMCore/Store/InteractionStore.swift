public import Foundation

/// Communication records: visits, calls, emails, meetings and notes.
///
/// Besides the rules every store keeps (``RegistryStore``), an interaction names its customer by
/// `customerID` or, when that is 0, by `customerExternalID`, with the owner rules of ``OrderStore``
/// (`interaction.customer`, `interaction.customer_external_id`); a non-empty `externalID` belongs to at
/// most one interaction (`.alreadyExists` naming `interaction.external_id`). A new interaction has version 1;
/// each correction adds one.
public protocol InteractionStore: Sendable {
    /// Stores a new interaction, ignoring its `id` and `createTime`.
    func createInteraction(_ interaction: Interaction) async throws -> Interaction
    /// The interaction with `id`; `.notFound` when there is none.
    func interaction(id: Int64) async throws -> Interaction
    /// One page of interactions, as ``CustomerStore/listCustomers(_:)`` pages customers.
    func listInteractions(_ query: ListQuery) async throws -> Page<Interaction>
    /// Corrects an interaction: `change` edits the stored one; the rules of ``createInteraction(_:)`` apply.
    /// `.notFound`; `.aborted` on a stale `expectedVersion`; a change that changes nothing returns the stored
    /// interaction with its version.
    func updateInteraction(
        id: Int64,
        expectedVersion: Int64?,
        _ change: @escaping @Sendable (inout Interaction) throws -> Void
    ) async throws -> Interaction
    /// Removes an interaction recorded by mistake; returns what was removed. `.notFound`; `.aborted` on a
    /// stale `expectedVersion`.
    func deleteInteraction(id: Int64, expectedVersion: Int64?) async throws -> Interaction
    /// Creates or updates interactions by `externalID`, with the batch rules of
    /// ``CustomerStore/importCustomers(_:options:)``.
    func importInteractions(_ rows: [ImportRow<Interaction>], options: ImportOptions) async throws -> ImportOutcome
}

/// What the analysis reads: whole customer histories in one consistent snapshot.
public protocol HistoryStore: Sendable {
    /// Every live customer with all their orders (line items included) and interactions, each sorted by
    /// time, read in one snapshot so that no write is half seen.
    /// - Parameter ids: only these customers (those that exist and are not deleted), in id order;
    ///   nil for every live customer, in id order.
    func customerHistories(ids: [Int64]?) async throws -> [CustomerHistory]
}

extension HistoryStore {
    /// Every live customer's history.
    public func customerHistories() async throws -> [CustomerHistory] {
        try await customerHistories(ids: nil)
    }
}

/// What operators and health checks ask of a store.
public protocol StoreMaintenance: Sendable {
    /// Counts, sizes and the store's kind and version.
    func statistics() async throws -> RegistryStatistics
    /// Returns only when the database answers; health checks call it with a deadline.
    func ping() async throws
    /// Finishes pending writes and releases the database. No other call may follow.
    func close() async throws
    /// Writes a consistent copy of the whole store to the new file `path`, at one change-log revision,
    /// without holding up writers for longer than a page at a time. `.unavailable` when the store keeps
    /// its backups elsewhere (a database server's own tools).
    func writeSnapshot(to path: String) async throws -> StoreSnapshot
    /// Checks the integrity of a snapshot file (one ``writeSnapshot(to:)`` wrote, or one restored from a
    /// backup) and reads its head and schema version; `.failedPrecondition` naming what is wrong.
    func inspectSnapshot(at path: String) async throws -> StoreSnapshot
}

/// What ``StoreMaintenance/writeSnapshot(to:)`` wrote.
public struct StoreSnapshot: Sendable, Hashable {
    /// The change log's head in the copy: every write up to it is in, none after.
    public var head: ChangeLogHead
    public var schemaVersion: Int
    public var time: Date
    public var bytes: Int64

    public init(head: ChangeLogHead, schemaVersion: Int, time: Date, bytes: Int64) {
        self.head = head
        self.schemaVersion = schemaVersion
        self.time = time
        self.bytes = bytes
    }
}

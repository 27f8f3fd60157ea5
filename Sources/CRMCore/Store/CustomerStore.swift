import Foundation

/// Customers: the people and companies of the registry.
///
/// Besides the rules every store keeps (``RegistryStore``), a customer store guarantees:
///
/// - **Unique keys.** A non-empty `email` belongs to at most one *live* customer (a deleted customer
///   frees it); a non-empty `externalID` belongs to at most one customer, deleted or not. A write that
///   would break either fails with `.alreadyExists` and a violation naming the field
///   (`customer.email`, `requests[2].customer.external_id`, …).
/// - **Soft delete.** Deleting sets `deleteTime`; the row stays, keeps its id, and is hidden from lists
///   and searches unless `showDeleted` is set. Undeleting clears it, after checking the unique keys again.
/// - **Versions.** A new customer has version 1; every write that changes its content, deletion and
///   undeletion add one. A write that leaves the content as it is returns the stored customer untouched.
public protocol CustomerStore: Sendable {
    /// Stores new customers, ignoring their `id`, times and `version`, all or none.
    ///
    /// Returns them in the order given, with ids (increasing), `createTime == updateTime` (now) and
    /// version 1. Violations name `customer.…` for one customer and `requests[i].customer.…` for several.
    func createCustomers(_ customers: [Customer]) async throws -> [Customer]

    /// The customer with `id`, deleted or not; `.notFound` when there is none.
    func customer(id: Int64) async throws -> Customer

    /// One page of customers matching `query.filter` (docs/filtering.md), in `query.orderBy` order with
    /// ties broken by ascending id (id order when empty); deleted ones only with `query.showDeleted`.
    ///
    /// Pages are keyset pages: rows written between two pages neither repeat nor vanish. A bad filter,
    /// order or token fails with `.invalidArgument` naming `filter`, `order_by` or `page_token`; a token
    /// is refused for any other listing or query than the one that returned it.
    func listCustomers(_ query: ListQuery) async throws -> Page<Customer>

    /// The customer with `externalID` (unique among all customers); a deleted one only with `showDeleted`.
    /// `.notFound` naming the external id otherwise.
    func customer(externalID: String, showDeleted: Bool) async throws -> Customer

    /// The customer with `email` among those not deleted, compared as stored (lower-cased). `.notFound`
    /// naming the email otherwise.
    func customer(email: String) async throws -> Customer

    /// Applies `change` to the stored customer and writes the result, in one transaction.
    ///
    /// The store keeps `id`, `version` and the times; `change` edits the rest and must keep the customer
    /// valid (the caller validates). An error thrown by `change` is rethrown and nothing is written.
    /// - Parameters:
    ///   - expectedVersion: when set and not the stored version, fails with `.aborted`, writing nothing.
    /// - Returns: the stored customer, with version and `updateTime` advanced only if something changed.
    func updateCustomer(
        id: Int64,
        expectedVersion: Int64?,
        _ change: @escaping @Sendable (inout Customer) throws -> Void
    ) async throws -> Customer

    /// Marks the customer deleted. `.notFound`, `.aborted` on a stale `expectedVersion`,
    /// `.failedPrecondition` when it is already deleted.
    func deleteCustomer(id: Int64, expectedVersion: Int64?) async throws -> Customer

    /// Brings a deleted customer back. `.notFound`, `.aborted` on a stale `expectedVersion`,
    /// `.alreadyExists` when it is not deleted or when a live customer has taken its email meanwhile.
    func undeleteCustomer(id: Int64, expectedVersion: Int64?) async throws -> Customer

    /// Customers whose display name, email, phone or company has a word starting with each word of
    /// `query.text`, best match first, ties by id; deleted ones only with `query.showDeleted`.
    ///
    /// Every page but the last is full. `.invalidArgument` naming `query` when the text has no letter or
    /// digit.
    func searchCustomers(_ query: SearchQuery) async throws -> Page<Customer>

    /// Creates or updates customers, one transaction per call. A row is keyed by its `externalID`; without
    /// one, by its `id` (the name an export wrote), which must not belong to a customer that has an
    /// external id (`.invalidArgument` naming `customer.external_id`); a row with neither, or whose `id` is
    /// not in this registry, creates a customer with a new id.
    ///
    /// Every row is tried so that the outcome names every failure (by row index, external id, field and
    /// reason); if any row fails, or `options.validateOnly` is set, nothing of the batch is written and
    /// the rows that would have been written count as `rejected`. A row whose external id belongs to a
    /// deleted customer fails. Only a storage failure throws.
    func importCustomers(_ rows: [ImportRow<Customer>], options: ImportOptions) async throws -> ImportOutcome

    /// Calls `body` with successive chunks (at most `chunkSize`) of the customers matching `filter`, in
    /// id order. A customer written while the export runs may or may not be in it; none appears twice.
    func exportCustomers(
        filter: String,
        showDeleted: Bool,
        chunkSize: Int,
        _ body: @Sendable ([Customer]) async throws -> Void
    ) async throws
}

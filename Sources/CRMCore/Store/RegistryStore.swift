package import Foundation

/// The registry's storage: the whole store contract, one protocol per concern.
///
/// The services above it depend only on the parts they use (``CustomerStore``, ``OrderStore``,
/// ``InteractionStore``, ``HistoryStore``, ``ModelStore``, ``StoreMaintenance``), so that a second
/// implementation (PostgreSQL, for several daemons on one database) can stand in for `SQLiteRegistry`
/// without touching them. Tests/CRMStoreConformanceTests holds the suite every implementation must pass.
///
/// Rules every part keeps:
///
/// - **Who validates what.** The caller validates the shape of each value (`Customer.validated(field:)`
///   and its kin) before handing it over; the store checks what only it can see: existence, uniqueness,
///   versions, owners, and the filter, order and token of a query.
/// - **Atomic and durable.** Each call that writes commits whole or not at all, and once it returns the
///   write survives a crash of the process or the machine. ``transaction(_:)`` makes several writes one.
/// - **Errors** are ``CRMError``s: `.notFound` with the resource name, `.alreadyExists`, `.aborted` for a
///   stale `expectedVersion` (the etag of the API), `.failedPrecondition`, `.invalidArgument` with the
///   field path in a violation, `.resourceExhausted` when the disk is full (nothing written),
///   `.unavailable` when the database cannot be reached, `.internalError` for anything else. A failed call
///   writes nothing.
/// - **Ids and times.** Ids are assigned by the store, positive and increasing, and never reused. The store sets `createTime`, `updateTime` and `version`, and keeps every time at
///   microsecond precision, so a value read back equals the value returned by the write.
/// - **Threads.** Every method may be called from many tasks at once, and none blocks a thread of
///   Swift's cooperative pool while it waits for the database (docs/architecture.md, "Threads").
public protocol RegistryStore: CustomerStore, OrderStore, InteractionStore, HistoryStore, ModelStore, ChangeLogStore,
    StoreMaintenance, DuplicateStore, QualityStore
{
    /// Runs `body` in one write transaction: all of its writes commit together when it returns, and
    /// none does when it throws (the error is rethrown). Other writers wait; readers see the store as it
    /// was before or after, never in between.
    ///
    /// `body` runs synchronously on a thread the store owns; it must not keep the transaction past its
    /// return and should not do slow work. This is the home of work that spans entities — merging two
    /// customers, writing a change together with its change-log entry.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any RegistryTransaction) throws -> T) async throws -> T
}

/// What a List call asks for (AIP-132, AIP-158, AIP-160).
public struct ListQuery: Sendable, Hashable {
    public var pageSize: Int
    public var pageToken: String
    public var filter: String
    public var orderBy: String
    public var showDeleted: Bool

    public init(
        pageSize: Int = 50,
        pageToken: String = "",
        filter: String = "",
        orderBy: String = "",
        showDeleted: Bool = false
    ) {
        self.pageSize = pageSize
        self.pageToken = pageToken
        self.filter = filter
        self.orderBy = orderBy
        self.showDeleted = showDeleted
    }
}

public struct SearchQuery: Sendable, Hashable {
    public var text: String
    public var pageSize: Int
    public var pageToken: String
    public var showDeleted: Bool

    public init(text: String, pageSize: Int = 50, pageToken: String = "", showDeleted: Bool = false) {
        self.text = text
        self.pageSize = pageSize
        self.pageToken = pageToken
        self.showDeleted = showDeleted
    }
}

/// One page of a List or Search answer.
public struct Page<Element: Sendable>: Sendable {
    public var items: [Element]
    /// Empty on the last page.
    public var nextPageToken: String
    /// How many match in all pages.
    public var totalSize: Int64

    public init(items: [Element], nextPageToken: String, totalSize: Int64) {
        self.items = items
        self.nextPageToken = nextPageToken
        self.totalSize = totalSize
    }
}

/// A row of an import: either a value that passed validation or the reason it did not.
public struct ImportRow<Value: Sendable>: Sendable {
    /// 0-based position in the whole stream.
    public var index: Int64
    public var externalID: String
    public var value: Result<Value, CRMError>

    public init(index: Int64, externalID: String, value: Result<Value, CRMError>) {
        self.index = index
        self.externalID = externalID
        self.value = value
    }
}

public struct ImportOptions: Sendable, Hashable {
    /// Check everything, write nothing.
    public var validateOnly: Bool
    /// Write the valid rows of a batch and report the others, instead of refusing the batch.
    public var skipInvalid: Bool
    /// How a customer row without an external id finds the customer it updates.
    public var match: ImportMatch

    public init(validateOnly: Bool = false, skipInvalid: Bool = false, match: ImportMatch = .externalID) {
        self.validateOnly = validateOnly
        self.skipInvalid = skipInvalid
        self.match = match
    }
}

/// How an imported customer row without an external id is matched to a stored customer.
public enum ImportMatch: String, Sendable, Hashable, CaseIterable {
    /// Only by external id (or id): a row without is created.
    case externalID = "external_id"
    /// The live customer with the row's email.
    case email
    /// The live customer with the row's phone; two sharing it fail the row.
    case phone
}

/// What one import batch did. Counts add up across batches with `+`.
public struct ImportOutcome: Sendable, Hashable {
    public struct Failure: Sendable, Hashable {
        public var index: Int64
        public var externalID: String
        public var field: String
        public var reason: String

        public init(index: Int64, externalID: String, field: String, reason: String) {
            self.index = index
            self.externalID = externalID
            self.field = field
            self.reason = reason
        }
    }

    public var created: Int64 = 0
    public var updated: Int64 = 0
    public var unchanged: Int64 = 0
    public var failed: Int64 = 0
    public var rejected: Int64 = 0
    public var failures: [Failure] = []
    public var batchesCommitted: Int64 = 0

    public init() {}

    public static func + (lhs: ImportOutcome, rhs: ImportOutcome) -> ImportOutcome {
        var sum = lhs
        sum.created += rhs.created
        sum.updated += rhs.updated
        sum.unchanged += rhs.unchanged
        sum.failed += rhs.failed
        sum.rejected += rhs.rejected
        sum.failures += rhs.failures
        sum.batchesCommitted += rhs.batchesCommitted
        return sum
    }
}

public struct RegistryStatistics: Sendable, Hashable {
    public var customers: Int64
    public var deletedCustomers: Int64
    public var orders: Int64
    public var payments: Int64
    public var interactions: Int64
    public var databaseSizeBytes: Int64
    public var schemaVersion: Int
    /// The store's kind, e.g. `sqlite`.
    public var storageEngine: String
    /// The version of the store's database library or server.
    public var storageVersion: String
    /// Bytes the store may still write on the file system holding it; nil when unknown.
    public var diskFreeBytes: Int64? = nil
    /// The last write failed for want of space, and none has succeeded since.
    public var diskFull = false

    public init(
        customers: Int64,
        deletedCustomers: Int64,
        orders: Int64,
        payments: Int64,
        interactions: Int64,
        databaseSizeBytes: Int64,
        schemaVersion: Int,
        storageEngine: String,
        storageVersion: String
    ) {
        self.customers = customers
        self.deletedCustomers = deletedCustomers
        self.orders = orders
        self.payments = payments
        self.interactions = interactions
        self.databaseSizeBytes = databaseSizeBytes
        self.schemaVersion = schemaVersion
        self.storageEngine = storageEngine
        self.storageVersion = storageVersion
    }
}

extension Date {
    /// Microseconds since 1970, the unit the store keeps times in.
    package var microsecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1_000_000).rounded())
    }

    package init(microsecondsSince1970 value: Int64) {
        self.init(timeIntervalSince1970: Double(value) / 1_000_000)
    }

    /// This time as the store keeps it.
    package var inMicroseconds: Date {
        Date(microsecondsSince1970: microsecondsSince1970)
    }
}

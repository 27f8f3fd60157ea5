import Foundation

/// The registry's storage: customers, orders, payments and interactions.
///
/// The services above it depend only on this protocol, so that a second
/// implementation (PostgreSQL, for several daemons on one database) can stand
/// in for ``SQLiteRegistry`` without touching them. Implementations check
/// existence, uniqueness and etags; the shape of each value is validated by
/// the caller (see `Customer.validated(field:)`).
public protocol RegistryStore: Sendable {
    // MARK: Customers
    func createCustomers(_ customers: [Customer]) async throws -> [Customer]
    func customer(id: Int64) async throws -> Customer
    func listCustomers(_ query: ListQuery) async throws -> Page<Customer>
    /// Applies `change` to the stored customer in one transaction.
    /// - Parameters:
    ///   - expectedVersion: when set, the call fails with `aborted` unless the stored version matches.
    ///   - change: edits the stored value; it must keep the customer valid.
    func updateCustomer(
        id: Int64,
        expectedVersion: Int64?,
        _ change: @escaping @Sendable (inout Customer) throws -> Void
    ) async throws -> Customer
    func deleteCustomer(id: Int64, expectedVersion: Int64?) async throws -> Customer
    func undeleteCustomer(id: Int64, expectedVersion: Int64?) async throws -> Customer
    func searchCustomers(_ query: SearchQuery) async throws -> Page<Customer>
    func importCustomers(_ rows: [ImportRow<Customer>], options: ImportOptions) async throws -> ImportOutcome
    /// Calls `body` with successive chunks of the matching customers, ordered by id.
    func exportCustomers(
        filter: String,
        showDeleted: Bool,
        chunkSize: Int,
        _ body: @Sendable ([Customer]) async throws -> Void
    ) async throws

    // MARK: Orders and payments
    func createOrder(_ order: Order) async throws -> Order
    func order(id: Int64) async throws -> Order
    func listOrders(_ query: ListQuery) async throws -> Page<Order>
    func updateOrderStatus(id: Int64, status: OrderStatus, expectedVersion: Int64?) async throws -> Order
    func importOrders(_ rows: [ImportRow<Order>], options: ImportOptions) async throws -> ImportOutcome
    func createPayment(_ payment: Payment) async throws -> Payment
    func payment(id: Int64) async throws -> Payment
    func listPayments(_ query: ListQuery) async throws -> Page<Payment>
    func importPayments(_ rows: [ImportRow<Payment>], options: ImportOptions) async throws -> ImportOutcome

    // MARK: Interactions
    func createInteraction(_ interaction: Interaction) async throws -> Interaction
    func interaction(id: Int64) async throws -> Interaction
    func listInteractions(_ query: ListQuery) async throws -> Page<Interaction>
    func importInteractions(_ rows: [ImportRow<Interaction>], options: ImportOptions) async throws -> ImportOutcome

    // MARK: Analysis
    /// Every customer not deleted, with all their orders (line items included) and interactions, sorted by time.
    /// - Parameter ids: only these customers (those that exist and are not deleted), in id order;
    ///   nil for every live customer.
    func customerHistories(ids: [Int64]?) async throws -> [CustomerHistory]

    // MARK: Facts
    func statistics() async throws -> RegistryStatistics
    /// Answers only when the database does; used by health checks.
    func ping() async throws
    func close() async throws
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

    public init(validateOnly: Bool = false) {
        self.validateOnly = validateOnly
    }
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
}

extension RegistryStore {
    /// Every live customer's history.
    public func customerHistories() async throws -> [CustomerHistory] {
        try await customerHistories(ids: nil)
    }
}

import Foundation

/// The writes of one ``RegistryStore/transaction(_:)``, and the reads that see them.
///
/// Each method keeps the rules of its counterpart on ``CustomerStore``, ``OrderStore`` and
/// ``InteractionStore``; an error thrown here leaves the transaction usable, but the caller normally lets
/// it propagate so that the whole transaction rolls back. `field` is the path a violation names.
public protocol RegistryTransaction {
    /// The customer with `id`, deleted or not, as this transaction sees it; `.notFound` when there is none.
    func customer(id: Int64) throws -> Customer
    func createCustomer(_ customer: Customer, field: String) throws -> Customer
    func updateCustomer(
        id: Int64,
        expectedVersion: Int64?,
        _ change: (inout Customer) throws -> Void
    ) throws -> Customer
    func deleteCustomer(id: Int64, expectedVersion: Int64?) throws -> Customer
    func undeleteCustomer(id: Int64, expectedVersion: Int64?) throws -> Customer

    /// The order with `id`, line items included; `.notFound` when there is none.
    func order(id: Int64) throws -> Order
    func createOrder(_ order: Order, field: String) throws -> Order
    func updateOrderStatus(id: Int64, status: OrderStatus, expectedVersion: Int64?) throws -> Order
    func updateOrder(id: Int64, expectedVersion: Int64?, _ change: (inout Order) throws -> Void) throws -> Order
    func createPayment(_ payment: Payment, field: String) throws -> Payment

    func updatePayment(id: Int64, expectedVersion: Int64?, _ change: (inout Payment) throws -> Void) throws -> Payment
    func deletePayment(id: Int64, expectedVersion: Int64?) throws -> Payment

    func createInteraction(_ interaction: Interaction, field: String) throws -> Interaction
    func updateInteraction(
        id: Int64,
        expectedVersion: Int64?,
        _ change: (inout Interaction) throws -> Void
    ) throws -> Interaction
    func deleteInteraction(id: Int64, expectedVersion: Int64?) throws -> Interaction

    /// The ids of the customer's orders, payments and interactions, oldest first.
    func records(ofCustomer id: Int64) throws -> CustomerRecords
    /// Soft-deletes the live customer `id` as merged into `survivor` (``ChangeKind/merge``); with
    /// `releasingExternalID`, its external id is cleared so that the survivor may take it.
    func markMerged(id: Int64, into survivor: Int64, releasingExternalID: Bool) throws -> Customer
    /// Moves the customer's stored predictions to `survivor` for the models that have none for it, and
    /// drops the rest; returns how many moved.
    func movePredictions(from id: Int64, to survivor: Int64) throws -> Int
}

/// What refers to a customer (``RegistryTransaction/records(ofCustomer:)``).
public struct CustomerRecords: Sendable, Equatable {
    public var orders: [Int64]
    /// Every payment belongs to an order and follows it to another customer.
    public var payments: [Int64]
    public var interactions: [Int64]

    public init(orders: [Int64] = [], payments: [Int64] = [], interactions: [Int64] = []) {
        self.orders = orders
        self.payments = payments
        self.interactions = interactions
    }
}

import Foundation

/// Orders with their line items, and the payments recorded against them.
///
/// Besides the rules every store keeps (``RegistryStore``), an order store guarantees:
///
/// - **An owner that lives.** An order names its customer by `customerID` or, when that is 0, by
///   `customerExternalID`; a payment names its order the same way. An owner that does not exist fails
///   with `.notFound` naming `order.customer` (or `order.customer_external_id`, `payment.order`,
///   `payment.order_external_id`); a deleted customer fails with `.failedPrecondition`. Stored values
///   carry both the id and the external id of their owner.
/// - **Unique external ids** per kind (`.alreadyExists` naming `order.external_id`,
///   `payment.external_id`).
/// - **Money adds up.** A payment is in its order's currency (`.invalidArgument` naming
///   `payment.currency_code` otherwise); an order's `paidMinor` is always the sum of its payments,
///   updated in the transaction that writes a payment. An order with payments keeps its currency.
/// - **Lines in order.** An order's line items are kept and returned in the order given.
/// - **Versions.** A new order has version 1 and status `.pending` unless given; each change adds one.
///   A new payment has version 1 too; each correction adds one.
public protocol OrderStore: Sendable {
    /// Stores a new order, ignoring its `id`, times, `version` and `paidMinor`.
    func createOrder(_ order: Order) async throws -> Order
    /// The order with `id`, line items included; `.notFound` when there is none.
    func order(id: Int64) async throws -> Order
    /// One page of orders, as ``CustomerStore/listCustomers(_:)`` pages customers.
    func listOrders(_ query: ListQuery) async throws -> Page<Order>
    /// Sets the order's status. `.notFound`; `.aborted` on a stale `expectedVersion`; setting the status it
    /// has changes nothing and returns the stored order.
    func updateOrderStatus(id: Int64, status: OrderStatus, expectedVersion: Int64?) async throws -> Order
    /// Corrects an order: `change` edits the stored one (lines, time, status, external id, customer,
    /// currency); the rules of ``createOrder(_:)`` apply, and an order with payments keeps its currency
    /// (`.invalidArgument` naming `order.currency_code`). `.notFound`; `.aborted` on a stale
    /// `expectedVersion`; a change that changes nothing returns the stored order with its version.
    func updateOrder(
        id: Int64,
        expectedVersion: Int64?,
        _ change: @escaping @Sendable (inout Order) throws -> Void
    ) async throws -> Order
    /// Creates or updates orders by `externalID`, with the batch rules of
    /// ``CustomerStore/importCustomers(_:options:)``. An update replaces the line items; a status left
    /// unspecified keeps the stored one.
    func importOrders(_ rows: [ImportRow<Order>], options: ImportOptions) async throws -> ImportOutcome

    /// Stores a new payment and adds it to its order's `paidMinor`, in one transaction.
    func createPayment(_ payment: Payment) async throws -> Payment
    /// The payment with `id`; `.notFound` when there is none.
    func payment(id: Int64) async throws -> Payment
    /// Corrects a payment: `change` gets the stored one and edits it (amount, time, method, external id,
    /// even its order); the rules of ``createPayment(_:)`` apply and both orders' `paidMinor` stay right.
    /// `.notFound`; `.aborted` on a stale `expectedVersion`; a change that changes nothing returns the stored
    /// payment with its version.
    func updatePayment(
        id: Int64,
        expectedVersion: Int64?,
        _ change: @escaping @Sendable (inout Payment) throws -> Void
    ) async throws -> Payment
    /// Removes a payment (a mistake, not a refund: refunds are an order status) and takes it off its order's
    /// `paidMinor`; returns what was removed. `.notFound`; `.aborted` on a stale `expectedVersion`.
    func deletePayment(id: Int64, expectedVersion: Int64?) async throws -> Payment
    /// One page of payments, as ``CustomerStore/listCustomers(_:)`` pages customers.
    func listPayments(_ query: ListQuery) async throws -> Page<Payment>
    /// Creates or updates payments by `externalID`, with the batch rules of
    /// ``CustomerStore/importCustomers(_:options:)``; a payment moved to another order leaves the old
    /// order's `paidMinor` correct too.
    func importPayments(_ rows: [ImportRow<Payment>], options: ImportOptions) async throws -> ImportOutcome
}

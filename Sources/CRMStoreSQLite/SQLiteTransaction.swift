public import CRMCore
import Foundation
import GRDB

/// The writes of one SQLite transaction (``SQLiteRegistry/transaction(_:)``). Every single write of
/// the registry runs through here too, so a transaction and a lone call keep the same rules.
///
/// Every write appends its change-log entry here, in the same transaction (``ChangeLogWriter``).
struct SQLiteTransaction: RegistryTransaction {
    let db: Database
    /// One time for every write of the transaction, at the store's precision.
    let now: Date
    let changes: ChangeLogWriter

    init(db: Database, now: Date, actor: ChangeActor, storageKeys: StorageKeys?) {
        self.db = db
        self.now = now
        self.changes = ChangeLogWriter(db: db, actor: actor, now: now, storageKeys: storageKeys)
    }

    func customer(id: Int64) throws -> Customer {
        try SQLiteRegistry.requireCustomer(db, id: id, keys: changes.storageKeys)
    }

    func createCustomer(_ customer: Customer, field: String) throws -> Customer {
        let created = try SQLiteRegistry.insertCustomer(db, customer, now: now, field: field, changes: changes)
        try changes.append(.create, before: nil, after: created)
        return created
    }

    func updateCustomer(
        id: Int64,
        expectedVersion: Int64?,
        _ change: (inout Customer) throws -> Void
    ) throws -> Customer {
        let stored = try SQLiteRegistry.requireCustomer(db, id: id, keys: changes.storageKeys)
        try SQLiteRegistry.checkVersion(stored.version, expected: expectedVersion, name: stored.resourceName)
        var changed = stored
        try change(&changed)
        changed.id = stored.id
        changed.version = stored.version
        if changed.hasSameContent(as: stored) { return stored }
        let saved = try SQLiteRegistry.overwriteCustomer(db, changed, now: now, field: "customer", changes: changes)
        try changes.append(.update, before: stored, after: saved)
        return saved
    }

    func deleteCustomer(id: Int64, expectedVersion: Int64?) throws -> Customer {
        let stored = try SQLiteRegistry.requireCustomer(db, id: id, keys: changes.storageKeys)
        var customer = stored
        try SQLiteRegistry.checkVersion(customer.version, expected: expectedVersion, name: customer.resourceName)
        guard customer.deleteTime == nil else {
            throw CRMError(.failedPrecondition, "\(customer.resourceName) is already deleted")
        }
        customer.deleteTime = now
        customer.updateTime = now
        customer.version += 1
        try db.execute(
            sql: "UPDATE customers SET delete_time = ?, update_time = ?, version = ? WHERE id = ?",
            arguments: [now.microsecondsSince1970, now.microsecondsSince1970, customer.version, id]
        )
        try changes.append(.delete, before: stored, after: customer)
        return customer
    }

    func undeleteCustomer(id: Int64, expectedVersion: Int64?) throws -> Customer {
        let stored = try SQLiteRegistry.requireCustomer(db, id: id, keys: changes.storageKeys)
        var customer = stored
        try SQLiteRegistry.checkVersion(customer.version, expected: expectedVersion, name: customer.resourceName)
        guard customer.deleteTime != nil else {
            throw CRMError(.alreadyExists, "\(customer.resourceName) is not deleted")
        }
        if let survivor = customer.mergedInto {
            throw CRMError(
                .failedPrecondition,
                "\(customer.resourceName) was merged into \(ResourceName.customer(survivor)): its records are there now"
            )
        }
        customer.deleteTime = nil
        try SQLiteRegistry.checkUniqueKeys(db, customer, field: "name")
        customer.updateTime = now
        customer.version += 1
        try db.execute(
            sql: "UPDATE customers SET delete_time = NULL, update_time = ?, version = ? WHERE id = ?",
            arguments: [now.microsecondsSince1970, customer.version, id]
        )
        try changes.append(.undelete, before: stored, after: customer)
        return customer
    }

    func order(id: Int64) throws -> Order {
        try SQLiteRegistry.requireOrder(db, id: id)
    }

    func createOrder(_ order: Order, field: String) throws -> Order {
        var new = order
        new.id = 0
        let created = try SQLiteRegistry.saveOrder(db, new, now: now, field: field)
        try changes.append(.create, before: nil, after: created)
        return created
    }

    func updateOrderStatus(id: Int64, status: OrderStatus, expectedVersion: Int64?) throws -> Order {
        let stored = try SQLiteRegistry.requireOrder(db, id: id)
        var order = stored
        try SQLiteRegistry.checkVersion(order.version, expected: expectedVersion, name: order.resourceName)
        guard order.status != status else { return order }
        order.status = status
        order.updateTime = now
        order.version += 1
        try db.execute(
            sql: "UPDATE orders SET status = ?, update_time = ?, version = ? WHERE id = ?",
            arguments: [status.rawValue, now.microsecondsSince1970, order.version, id]
        )
        try changes.append(.update, before: stored, after: order)
        return order
    }

    func updateOrder(id: Int64, expectedVersion: Int64?, _ change: (inout Order) throws -> Void) throws -> Order {
        let stored = try SQLiteRegistry.requireOrder(db, id: id)
        try SQLiteRegistry.checkVersion(stored.version, expected: expectedVersion, name: stored.resourceName)
        var changed = stored
        try change(&changed)
        changed.id = stored.id
        changed.version = stored.version
        changed.paidMinor = stored.paidMinor
        guard !changed.hasSameContent(as: stored) else { return stored }
        if changed.currencyCode != stored.currencyCode, stored.paidMinor > 0 {
            throw CRMError.invalid(
                "order.currency_code",
                "cannot change: payments in \(stored.currencyCode) are recorded against this order"
            )
        }
        let saved = try SQLiteRegistry.saveOrder(db, changed, now: now, field: "order")
        if saved.customerID != stored.customerID {
            // The order's payments follow it to its new customer.
            try db.execute(
                sql: "UPDATE payments SET customer_id = ? WHERE order_id = ?",
                arguments: [saved.customerID, saved.id]
            )
        }
        try changes.append(.update, before: stored, after: saved)
        return saved
    }

    func createPayment(_ payment: Payment, field: String) throws -> Payment {
        var new = payment
        new.id = 0
        let created = try SQLiteRegistry.savePayment(db, new, previousOrderID: nil, now: now, field: field)
        try changes.append(.create, before: nil, after: created)
        return created
    }

    func createInteraction(_ interaction: Interaction, field: String) throws -> Interaction {
        var new = interaction
        new.id = 0
        let created = try SQLiteRegistry.saveInteraction(db, new, now: now, field: field, changes: changes)
        try changes.append(.create, before: nil, after: created)
        return created
    }

    func updateInteraction(
        id: Int64,
        expectedVersion: Int64?,
        _ change: (inout Interaction) throws -> Void
    ) throws -> Interaction {
        let stored = try SQLiteRegistry.requireInteraction(db, id: id, keys: changes.storageKeys)
        try SQLiteRegistry.checkVersion(stored.version, expected: expectedVersion, name: stored.resourceName)
        var changed = stored
        try change(&changed)
        changed.id = stored.id
        changed.version = stored.version
        guard !changed.hasSameContent(as: stored) else { return stored }
        let saved = try SQLiteRegistry.saveInteraction(db, changed, now: now, field: "interaction", changes: changes)
        try changes.append(.update, before: stored, after: saved)
        return saved
    }

    func deleteInteraction(id: Int64, expectedVersion: Int64?) throws -> Interaction {
        let stored = try SQLiteRegistry.requireInteraction(db, id: id, keys: changes.storageKeys)
        try SQLiteRegistry.checkVersion(stored.version, expected: expectedVersion, name: stored.resourceName)
        try db.execute(sql: "DELETE FROM interactions WHERE id = ?", arguments: [id])
        try changes.append(.delete, before: stored, after: nil)
        return stored
    }

    func updatePayment(id: Int64, expectedVersion: Int64?, _ change: (inout Payment) throws -> Void) throws -> Payment {
        let stored = try SQLiteRegistry.requirePayment(db, id: id)
        try SQLiteRegistry.checkVersion(stored.version, expected: expectedVersion, name: stored.resourceName)
        var changed = stored
        try change(&changed)
        changed.id = stored.id
        changed.version = stored.version
        guard !changed.hasSameContent(as: stored) else { return stored }
        let saved = try SQLiteRegistry.savePayment(
            db,
            changed,
            previousOrderID: stored.orderID,
            now: now,
            field: "payment"
        )
        try changes.append(.update, before: stored, after: saved)
        return saved
    }

    func deletePayment(id: Int64, expectedVersion: Int64?) throws -> Payment {
        let stored = try SQLiteRegistry.requirePayment(db, id: id)
        try SQLiteRegistry.checkVersion(stored.version, expected: expectedVersion, name: stored.resourceName)
        try db.execute(sql: "DELETE FROM payments WHERE id = ?", arguments: [id])
        try SQLiteRegistry.recomputePaid(db, orderID: stored.orderID)
        try changes.append(.delete, before: stored, after: nil)
        return stored
    }

    func records(ofCustomer id: Int64) throws -> CustomerRecords {
        func ids(_ table: String) throws -> [Int64] {
            try Int64.fetchAll(db, sql: "SELECT id FROM \(table) WHERE customer_id = ? ORDER BY id", arguments: [id])
        }
        return CustomerRecords(
            orders: try ids("orders"),
            payments: try ids("payments"),
            interactions: try ids("interactions")
        )
    }

    func markMerged(id: Int64, into survivor: Int64, releasingExternalID: Bool) throws -> Customer {
        let stored = try SQLiteRegistry.requireCustomer(db, id: id, keys: changes.storageKeys)
        guard stored.deleteTime == nil else {
            throw CRMError(.failedPrecondition, "\(stored.resourceName) is already deleted")
        }
        var customer = stored
        customer.deleteTime = now
        customer.updateTime = now
        customer.mergedInto = survivor
        customer.version += 1
        if releasingExternalID { customer.externalID = "" }
        try db.execute(
            sql: """
                UPDATE customers SET delete_time = ?, update_time = ?, version = ?, merged_into = ?,
                external_id = CASE WHEN ? THEN NULL ELSE external_id END WHERE id = ?
                """,
            arguments: [
                now.microsecondsSince1970, now.microsecondsSince1970, customer.version, survivor, releasingExternalID,
                id,
            ]
        )
        try changes.append(.merge, before: stored, after: customer)
        return customer
    }

    func movePredictions(from id: Int64, to survivor: Int64) throws -> Int {
        try db.execute(
            sql: "UPDATE OR IGNORE analysis_predictions SET customer_id = ? WHERE customer_id = ?",
            arguments: [survivor, id]
        )
        let moved = db.changesCount
        try db.execute(sql: "DELETE FROM analysis_predictions WHERE customer_id = ?", arguments: [id])
        return moved
    }
}

extension SQLiteRegistry {
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (any RegistryTransaction) throws -> T
    ) async throws -> T {
        let actor = Self.currentActor()
        let keys = storageKeys
        do {
            return try await write { db in
                do {
                    return try body(SQLiteTransaction(db: db, now: Self.now(), actor: actor, storageKeys: keys))
                } catch let error as CRMError {
                    throw error
                } catch let error as DatabaseError {
                    throw error
                } catch {
                    throw CallerError(error: error)
                }
            }
        } catch let error as CallerError {
            throw error.error
        }
    }

    /// One write transaction on the concrete type, for the single writes of the registry.
    func writing<T: Sendable>(_ body: @escaping @Sendable (SQLiteTransaction) throws -> T) async throws -> T {
        let actor = Self.currentActor()
        let keys = storageKeys
        return try await write { db in
            try body(SQLiteTransaction(db: db, now: Self.now(), actor: actor, storageKeys: keys))
        }
    }

    /// The actor of the call being served, or crmd's own when the store is used without one.
    static func currentActor() -> ChangeActor {
        ChangeActor.current ?? .daemon("store")
    }
}

/// An error of the caller's own, thrown through a transaction untouched rather than read as a storage
/// failure.
struct CallerError: Error {
    let error: any Error
}

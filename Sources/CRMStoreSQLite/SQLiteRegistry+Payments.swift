public import CRMCore
import Foundation
import GRDB

extension SQLiteRegistry {
    static let paymentColumns = """
        p.id, p.order_id, COALESCE(po.external_id, ''), COALESCE(p.external_id, ''), p.amount_minor, \
        p.currency_code, p.paid_time, p.method, p.customer_id, p.create_time, p.update_time, p.version
        """
    static let paymentFrom = "FROM payments p JOIN orders po ON po.id = p.order_id"

    /// Where each filterable field of ``FilterSchema/payments`` is kept.
    static let paymentFilter = SQLColumns(
        .payments,
        [
            "name": "p.id",
            "order": "p.order_id",
            "order_external_id": "COALESCE(po.external_id, '')",
            "customer": "p.customer_id",
            "external_id": "COALESCE(p.external_id, '')",
            "amount_minor": "p.amount_minor",
            "currency_code": "p.currency_code",
            "paid_time": "p.paid_time",
            "method": "p.method",
            "create_time": "p.create_time",
            "update_time": "p.update_time",
        ]
    )

    static func decodePayment(_ row: Row) -> Payment {
        Payment(
            id: row[0],
            orderID: row[1],
            orderExternalID: row[2],
            externalID: row[3],
            amountMinor: row[4],
            currencyCode: row[5],
            paidTime: Date(microsecondsSince1970: row[6]),
            method: row[7],
            customerID: row[8],
            createTime: Date(microsecondsSince1970: row[9]),
            updateTime: Date(microsecondsSince1970: row[10]),
            version: row[11]
        )
    }

    static func fetchPayment(
        _ db: Database,
        where condition: String,
        _ argument: any DatabaseValueConvertible
    ) throws -> Payment? {
        let statement = try db.cachedStatement(sql: "SELECT \(paymentColumns) \(paymentFrom) WHERE \(condition)")
        return try Row.fetchOne(statement, arguments: [argument]).map(decodePayment)
    }

    /// Inserts `payment`, or replaces the stored payment with `payment.id`, and
    /// recomputes what has been paid on the orders concerned.
    static func savePayment(
        _ db: Database,
        _ payment: Payment,
        previousOrderID: Int64?,
        now: Date,
        field prefix: String
    ) throws -> Payment {
        var stored = payment
        stored.paidTime = payment.paidTime.inMicroseconds
        let order: Order?
        if payment.orderID > 0 {
            order = try fetchOrder(db, where: "o.id = ?", payment.orderID)
        } else {
            order = try fetchOrder(db, where: "o.external_id = ?", payment.orderExternalID)
        }
        guard let order else {
            let (field, what) =
                payment.orderID > 0
                ? ("\(prefix).order", "\(ResourceName.order(payment.orderID)) not found")
                : ("\(prefix).order_external_id", "no order with external_id \(payment.orderExternalID)")
            throw CRMError(.notFound, what, violations: [.init(field: field, description: what)])
        }
        guard payment.currencyCode == order.currencyCode else {
            throw CRMError.invalid(
                "\(prefix).currency_code",
                "must be the order's currency \(order.currencyCode), not \(payment.currencyCode)"
            )
        }
        try checkUniqueExternalID(
            db,
            table: "payments",
            externalID: payment.externalID,
            id: payment.id,
            field: "\(prefix).external_id",
            collection: "payments"
        )
        stored.orderID = order.id
        stored.orderExternalID = order.externalID
        stored.customerID = order.customerID
        let externalID: String? = payment.externalID.isEmpty ? nil : payment.externalID
        stored.updateTime = now
        if payment.id == 0 {
            stored.createTime = now
            stored.version = 1
            try db.cachedStatement(
                sql: """
                    INSERT INTO payments (order_id, customer_id, external_id, amount_minor, currency_code, paid_time, method,
                    create_time, update_time, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                    """
            ).execute(arguments: [
                order.id, order.customerID, externalID, payment.amountMinor, payment.currencyCode,
                payment.paidTime.microsecondsSince1970, payment.method, now.microsecondsSince1970,
                now.microsecondsSince1970,
            ])
            stored.id = db.lastInsertedRowID
        } else {
            // `payment.version` is the stored version this write replaces.
            stored.version = payment.version + 1
            try db.cachedStatement(
                sql: """
                    UPDATE payments SET order_id = ?, customer_id = ?, external_id = ?, amount_minor = ?, currency_code = ?,
                    paid_time = ?, method = ?, update_time = ?, version = ? WHERE id = ?
                    """
            ).execute(arguments: [
                order.id, order.customerID, externalID, payment.amountMinor, payment.currencyCode,
                payment.paidTime.microsecondsSince1970, payment.method, now.microsecondsSince1970, stored.version,
                payment.id,
            ])
        }
        try recomputePaid(db, orderID: order.id)
        if let previousOrderID, previousOrderID != order.id {
            try recomputePaid(db, orderID: previousOrderID)
        }
        return stored
    }

    public func createPayment(_ payment: Payment) async throws -> Payment {
        try await writing { try $0.createPayment(payment, field: "payment") }
    }

    public func payment(id: Int64) async throws -> Payment {
        try await read { db in try Self.requirePayment(db, id: id) }
    }

    public func updatePayment(
        id: Int64,
        expectedVersion: Int64?,
        _ change: @escaping @Sendable (inout Payment) throws -> Void
    ) async throws -> Payment {
        try await writing { try $0.updatePayment(id: id, expectedVersion: expectedVersion, change) }
    }

    public func deletePayment(id: Int64, expectedVersion: Int64?) async throws -> Payment {
        try await writing { try $0.deletePayment(id: id, expectedVersion: expectedVersion) }
    }

    static func requirePayment(_ db: Database, id: Int64) throws -> Payment {
        guard let payment = try fetchPayment(db, where: "p.id = ?", id) else {
            throw CRMError.notFound(ResourceName.payment(id))
        }
        return payment
    }

    /// Sets the order's `paid_minor` to the sum of its payments.
    static func recomputePaid(_ db: Database, orderID: Int64) throws {
        try db.cachedStatement(
            sql: """
                UPDATE orders SET paid_minor = (SELECT COALESCE(sum(amount_minor), 0) FROM payments WHERE order_id = ?1)
                WHERE id = ?1
                """
        ).execute(arguments: [orderID])
    }

    public func listPayments(_ query: ListQuery) async throws -> Page<Payment> {
        let page = KeysetPage(
            columns: Self.paymentColumns,
            from: Self.paymentFrom,
            idColumn: "p.id",
            schema: Self.paymentFilter
        )
        return try await read { db in try page.fetch(db, query, decode: Self.decodePayment) }
    }

    public func importPayments(_ rows: [ImportRow<Payment>], options: ImportOptions) async throws -> ImportOutcome {
        try await importBatch(rows, options: options) { transaction, payment in
            let db = transaction.db
            guard let stored = try Self.fetchPayment(db, where: "p.external_id = ?", payment.externalID) else {
                _ = try transaction.createPayment(payment, field: "payment")
                return .created
            }
            var changed = payment
            changed.id = stored.id
            changed.version = stored.version
            if changed.orderID == 0, changed.orderExternalID == stored.orderExternalID {
                changed.orderID = stored.orderID
            }
            if changed.hasSameContent(as: stored) { return .unchanged }
            let saved = try Self.savePayment(
                db,
                changed,
                previousOrderID: stored.orderID,
                now: transaction.now,
                field: "payment"
            )
            try transaction.changes.append(.update, before: stored, after: saved)
            return .updated
        }
    }
}

public import CRMCore
import Foundation
import GRDB

extension SQLiteRegistry {
    static let orderColumns = """
        o.id, o.customer_id, COALESCE(oc.external_id, ''), COALESCE(o.external_id, ''), o.status, o.currency_code, \
        o.paid_minor, o.order_time, o.create_time, o.update_time, o.version
        """
    static let orderFrom = "FROM orders o JOIN customers oc ON oc.id = o.customer_id"

    /// Where each filterable field of ``FilterSchema/orders`` is kept.
    static let orderFilter = SQLColumns(
        .orders,
        [
            "name": "o.id",
            "customer": "o.customer_id",
            "customer_external_id": "COALESCE(oc.external_id, '')",
            "external_id": "COALESCE(o.external_id, '')",
            "status": "o.status",
            "currency_code": "o.currency_code",
            "total_minor": "o.total_minor",
            "paid_minor": "o.paid_minor",
            "order_time": "o.order_time",
            "create_time": "o.create_time",
            "update_time": "o.update_time",
        ]
    )

    /// Decodes an order row; its line items are filled by ``attachLines(_:_:)``.
    static func decodeOrder(_ row: Row) -> Order {
        Order(
            id: row[0],
            customerID: row[1],
            customerExternalID: row[2],
            externalID: row[3],
            status: OrderStatus(rawValue: row[4]) ?? .unspecified,
            currencyCode: row[5],
            lineItems: [],
            paidMinor: row[6],
            orderTime: Date(microsecondsSince1970: row[7]),
            createTime: Date(microsecondsSince1970: row[8]),
            updateTime: Date(microsecondsSince1970: row[9]),
            version: row[10]
        )
    }

    static func attachLines(_ db: Database, _ orders: [Order]) throws -> [Order] {
        guard !orders.isEmpty else { return orders }
        var lines: [Int64: [LineItem]] = [:]
        let placeholders = orders.map { _ in "?" }.joined(separator: ",")
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT order_id, sku, product_name, category, quantity, unit_price_minor FROM order_lines
                WHERE order_id IN (\(placeholders)) ORDER BY order_id, line_no
                """,
            arguments: StatementArguments(orders.map(\.id))
        )
        while let row = try rows.next() {
            lines[row[0], default: []].append(
                LineItem(sku: row[1], productName: row[2], category: row[3], quantity: row[4], unitPriceMinor: row[5])
            )
        }
        return orders.map { order in
            var order = order
            order.lineItems = lines[order.id] ?? []
            return order
        }
    }

    static func fetchOrder(
        _ db: Database,
        where condition: String,
        _ argument: any DatabaseValueConvertible
    ) throws -> Order? {
        let statement = try db.cachedStatement(sql: "SELECT \(orderColumns) \(orderFrom) WHERE \(condition)")
        guard let row = try Row.fetchOne(statement, arguments: [argument]) else { return nil }
        return try attachLines(db, [decodeOrder(row)]).first
    }

    static func requireOrder(_ db: Database, id: Int64) throws -> Order {
        guard let order = try fetchOrder(db, where: "o.id = ?", id) else {
            throw CRMError.notFound(ResourceName.order(id))
        }
        return order
    }

    /// The live customer an order, payment or interaction refers to, by id or external id.
    static func resolveCustomer(_ db: Database, id: Int64, externalID: String, field: String) throws -> Customer {
        let found = try fetchClearCustomer(db, id: id, externalID: externalID)
        guard let customer = found else {
            let (path, problem) =
                id > 0
                ? (field, "\(ResourceName.customer(id)) not found")
                : (field + "_external_id", "no customer with external_id \(externalID)")
            throw CRMError(.notFound, problem, violations: [.init(field: path, description: problem)])
        }
        guard customer.deleteTime == nil else {
            throw CRMError(
                .failedPrecondition,
                "\(customer.resourceName) is deleted",
                violations: [.init(field: field, description: "\(customer.resourceName) is deleted")]
            )
        }
        return customer
    }

    static func checkUniqueExternalID(
        _ db: Database,
        table: String,
        externalID: String,
        id: Int64,
        field: String,
        collection: String
    ) throws {
        guard !externalID.isEmpty else { return }
        let statement = try db.cachedStatement(sql: "SELECT id FROM \(table) WHERE external_id = ? AND id <> ?")
        if let other = try Int64.fetchOne(statement, arguments: [externalID, id]) {
            let owner = "\(collection)/\(other)"
            throw CRMError(
                .alreadyExists,
                "external_id \(externalID) already belongs to \(owner)",
                violations: [.init(field: field, description: "already belongs to \(owner)")]
            )
        }
    }

    /// Inserts `order`, or replaces the stored order with `order.id`, lines included.
    static func saveOrder(_ db: Database, _ order: Order, now: Date, field prefix: String) throws -> Order {
        var stored = order
        stored.orderTime = order.orderTime.inMicroseconds
        let customer = try resolveCustomer(
            db,
            id: order.customerID,
            externalID: order.customerExternalID,
            field: "\(prefix).customer"
        )
        stored.customerID = customer.id
        stored.customerExternalID = customer.externalID
        if stored.status == .unspecified { stored.status = .pending }
        try checkUniqueExternalID(
            db,
            table: "orders",
            externalID: order.externalID,
            id: order.id,
            field: "\(prefix).external_id",
            collection: "orders"
        )
        let externalID: String? = order.externalID.isEmpty ? nil : order.externalID
        stored.updateTime = now
        if order.id == 0 {
            stored.createTime = now
            stored.version = 1
            try db.cachedStatement(
                sql: """
                    INSERT INTO orders (customer_id, external_id, status, currency_code, total_minor, order_time, create_time, update_time, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
                    """
            ).execute(arguments: [
                stored.customerID, externalID, stored.status.rawValue, stored.currencyCode, stored.totalMinor,
                stored.orderTime.microsecondsSince1970, now.microsecondsSince1970, now.microsecondsSince1970,
            ])
            stored.id = db.lastInsertedRowID
        } else {
            stored.version += 1
            try db.cachedStatement(
                sql: """
                    UPDATE orders SET customer_id = ?, external_id = ?, status = ?, currency_code = ?, total_minor = ?,
                    order_time = ?, update_time = ?, version = ? WHERE id = ?
                    """
            ).execute(arguments: [
                stored.customerID, externalID, stored.status.rawValue, stored.currencyCode, stored.totalMinor,
                stored.orderTime.microsecondsSince1970, now.microsecondsSince1970, stored.version, stored.id,
            ])
            try db.cachedStatement(sql: "DELETE FROM order_lines WHERE order_id = ?").execute(arguments: [stored.id])
        }
        let insertLine = try db.cachedStatement(
            sql: """
                INSERT INTO order_lines (order_id, line_no, sku, product_name, category, quantity, unit_price_minor)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        )
        for (number, line) in stored.lineItems.enumerated() {
            try insertLine.execute(arguments: [
                stored.id, number, line.sku, line.productName, line.category, line.quantity, line.unitPriceMinor,
            ])
        }
        return stored
    }

    public func updateOrder(
        id: Int64,
        expectedVersion: Int64?,
        _ change: @escaping @Sendable (inout Order) throws -> Void
    ) async throws -> Order {
        try await writing { try $0.updateOrder(id: id, expectedVersion: expectedVersion, change) }
    }

    public func createOrder(_ order: Order) async throws -> Order {
        try await writing { try $0.createOrder(order, field: "order") }
    }

    public func order(id: Int64) async throws -> Order {
        try await read { db in try Self.requireOrder(db, id: id) }
    }

    public func listOrders(_ query: ListQuery) async throws -> Page<Order> {
        let page = KeysetPage(
            columns: Self.orderColumns,
            from: Self.orderFrom,
            idColumn: "o.id",
            schema: Self.orderFilter
        )
        return try await read { db in
            var result = try page.fetch(db, query, decode: Self.decodeOrder)
            result.items = try Self.attachLines(db, result.items)
            return result
        }
    }

    public func updateOrderStatus(id: Int64, status: OrderStatus, expectedVersion: Int64?) async throws -> Order {
        try await writing { try $0.updateOrderStatus(id: id, status: status, expectedVersion: expectedVersion) }
    }

    public func importOrders(_ rows: [ImportRow<Order>], options: ImportOptions) async throws -> ImportOutcome {
        try await importBatch(rows, options: options) { transaction, order in
            let db = transaction.db
            guard let stored = try Self.fetchOrder(db, where: "o.external_id = ?", order.externalID) else {
                _ = try transaction.createOrder(order, field: "order")
                return .created
            }
            var changed = order
            changed.id = stored.id
            changed.version = stored.version
            if changed.customerID == 0 {
                changed.customerID = try Self.resolveCustomer(
                    db,
                    id: 0,
                    externalID: order.customerExternalID,
                    field: "order.customer"
                ).id
            }
            if changed.status == .unspecified { changed.status = stored.status }
            if changed.hasSameContent(as: stored) { return .unchanged }
            if changed.currencyCode != stored.currencyCode, stored.paidMinor > 0 {
                throw CRMError.invalid(
                    "order.currency_code",
                    "cannot change: payments in \(stored.currencyCode) are recorded against this order"
                )
            }
            let saved = try Self.saveOrder(db, changed, now: transaction.now, field: "order")
            try transaction.changes.append(.update, before: stored, after: saved)
            return .updated
        }
    }
}

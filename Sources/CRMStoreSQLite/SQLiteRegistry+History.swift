public import CRMCore
import Foundation
import GRDB

extension SQLiteRegistry {
    /// Reads the live customers, their orders, order lines and interactions with four queries in one
    /// read transaction (one consistent snapshot), grouping in memory; never one query per customer.
    /// With `ids`, each query is limited to those customers through the customer-id indexes.
    public func customerHistories(ids: [Int64]?) async throws -> [CustomerHistory] {
        // The ids travel as one JSON array parameter, however many there are.
        let idList = ids.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
        let only: @Sendable (String) -> String = { [filtered = idList != nil] column in
            filtered ? "AND \(column) IN (SELECT value FROM json_each(?))" : ""
        }
        let arguments: StatementArguments = idList.map { [$0] } ?? []
        let keys = storageKeys
        return try await read { db in
            let customers = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.customerColumns) FROM customers c WHERE c.delete_time IS NULL \(only("c.id"))
                    ORDER BY c.id
                    """,
                arguments: arguments
            ).map { try Self.decodeCustomer($0, db: db, keys: keys) }

            var lines: [Int64: [LineItem]] = [:]
            let lineRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT l.order_id, l.sku, l.product_name, l.category, l.quantity, l.unit_price_minor
                    FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers c ON c.id = o.customer_id
                    WHERE c.delete_time IS NULL \(only("o.customer_id")) ORDER BY l.order_id, l.line_no
                    """,
                arguments: arguments
            )
            while let row = try lineRows.next() {
                lines[row[0], default: []].append(
                    LineItem(
                        sku: row[1],
                        productName: row[2],
                        category: row[3],
                        quantity: row[4],
                        unitPriceMinor: row[5]
                    )
                )
            }

            var orders: [Int64: [Order]] = [:]
            let orderRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(Self.orderColumns) \(Self.orderFrom)
                    WHERE oc.delete_time IS NULL \(only("o.customer_id")) ORDER BY o.customer_id, o.order_time, o.id
                    """,
                arguments: arguments
            )
            while let row = try orderRows.next() {
                var order = Self.decodeOrder(row)
                order.lineItems = lines.removeValue(forKey: order.id) ?? []
                orders[order.customerID, default: []].append(order)
            }

            var interactions: [Int64: [Interaction]] = [:]
            let interactionRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(Self.interactionColumns) \(Self.interactionFrom)
                    WHERE ic.delete_time IS NULL \(only("i.customer_id")) ORDER BY i.customer_id, i.occur_time, i.id
                    """,
                arguments: arguments
            )
            while let row = try interactionRows.next() {
                let interaction = try Self.decodeInteraction(row, db: db, keys: keys)
                interactions[interaction.customerID, default: []].append(interaction)
            }

            // The queries already sort by time, so the memberwise values keep their order.
            return customers.map { customer in
                CustomerHistory(
                    customer: customer,
                    sortedOrders: orders[customer.id] ?? [],
                    sortedInteractions: interactions[customer.id] ?? []
                )
            }
        }
    }
}

import CRMProto
import SwiftProtobuf

/// Orders in CSV: one row per line item. Rows with the same `order_external_id` make one order,
/// whether they follow each other or not; a row without one is an order of its own.
///
/// The order-level columns (`customer_external_id`, `order_time`, `currency`, `status`) may be
/// left empty on all but one row of an order; where several rows fill them they must agree.
enum OrderCSV: CSVSchema {
    typealias Record = Crm_V1_Order

    static let noun = "orders"
    static let requiredColumns = [
        "order_external_id", "customer_external_id", "order_time", "currency", "product_name", "category",
        "quantity", "unit_price",
    ]
    static let columns = [
        "order_external_id", "customer_external_id", "order_time", "currency", "sku", "product_name", "category",
        "quantity", "unit_price", "status",
    ]

    static func rows(for order: Crm_V1_Order, header: [String]) -> [[String]] {
        let exponent = Currency.minorUnitDigits(order.currencyCode)
        let time = RFC3339.format(order.orderTime, isSet: order.hasOrderTime)
        return order.lineItems.map { item in
            [
                order.externalID, order.customerExternalID, time, order.currencyCode, item.sku, item.productName,
                item.category, String(item.quantity),
                Money.majorText(fromMinor: item.unitPriceMinor, exponent: exponent),
                order.status.label,
            ]
        }
    }

    /// The order-level values of one row, kept to check the other rows of the same order.
    private struct OrderFields {
        var customerExternalID = ""
        var currency = ""
        var orderTime: Google_Protobuf_Timestamp?
        var status = Crm_V1_OrderStatus.unspecified
        /// Line of the row each field was first filled on.
        var customerLine = 0
        var currencyLine = 0
        var timeLine = 0
        var statusLine = 0
    }

    static func decodeRows(of table: CSVTable) -> DecodedFile<Crm_V1_Order> {
        var file = DecodedFile<Crm_V1_Order>()
        var orders: [Crm_V1_Order] = []
        var lines: [[Int]] = []
        var fields: [OrderFields] = []
        var invalid: [Bool] = []
        var indexByExternalID: [String: Int] = [:]

        for record in table.records {
            file.rowCount += 1
            if let error = fieldCountError(record, in: table) {
                file.errors.append(error)
                continue
            }
            var row = RowReader(record: record, table: table)
            let externalID = row.text("order_external_id")
            let index: Int
            if !externalID.isEmpty, let existing = indexByExternalID[externalID] {
                index = existing
            } else {
                index = orders.count
                var order = Crm_V1_Order()
                order.externalID = externalID
                orders.append(order)
                lines.append([])
                fields.append(OrderFields())
                invalid.append(false)
                if !externalID.isEmpty { indexByExternalID[externalID] = index }
            }
            lines[index].append(record.line)
            let firstLine = lines[index][0]

            // Order-level columns: the first non-empty value wins; later ones must agree.
            let customer = row.text("customer_external_id")
            if !customer.isEmpty {
                if fields[index].customerExternalID.isEmpty {
                    fields[index].customerExternalID = customer
                    fields[index].customerLine = record.line
                } else if fields[index].customerExternalID != customer {
                    row.fail(
                        "customer_external_id",
                        "\(customer.quotedForError) differs from \(fields[index].customerExternalID.quotedForError) on line \(fields[index].customerLine), same order"
                    )
                }
            }
            var rowCurrency: String? = nil
            if !row.text("currency").trimmingSpaces.isEmpty,
                let currency = row.value("currency", Currency.normalizedCode)
            {
                rowCurrency = currency
                if fields[index].currency.isEmpty {
                    fields[index].currency = currency
                    fields[index].currencyLine = record.line
                } else if fields[index].currency != currency {
                    row.fail(
                        "currency",
                        "\(currency) differs from \(fields[index].currency) on line \(fields[index].currencyLine), same order"
                    )
                }
            }
            if let time = row.value("order_time", RFC3339.parseOptional), let time {
                if let known = fields[index].orderTime {
                    if known != time {
                        row.fail(
                            "order_time",
                            "\(RFC3339.format(time)) differs from \(RFC3339.format(known)) on line \(fields[index].timeLine), same order"
                        )
                    }
                } else {
                    fields[index].orderTime = time
                    fields[index].timeLine = record.line
                }
            }
            if let status = row.value("status", Crm_V1_OrderStatus.parse(label:)), status != .unspecified {
                if fields[index].status == .unspecified {
                    fields[index].status = status
                    fields[index].statusLine = record.line
                } else if fields[index].status != status {
                    row.fail(
                        "status",
                        "\(status.label) differs from \(fields[index].status.label) on line \(fields[index].statusLine), same order"
                    )
                }
            }

            // The line item.
            var item = Crm_V1_LineItem()
            item.sku = row.text("sku")
            item.productName = row.text("product_name")
            item.category = row.text("category")
            if let quantity = row.value("quantity", Cell.integer) {
                item.quantity = quantity
            }
            let currency = rowCurrency ?? (fields[index].currency.isEmpty ? nil : fields[index].currency)
            if let currency {
                let exponent = Currency.minorUnitDigits(currency)
                if let price = row.value(
                    "unit_price",
                    { (text) throws(ValueError) in try Money.minorUnits(fromMajor: text, exponent: exponent) }
                ) {
                    item.unitPriceMinor = price
                }
            } else if row.text("currency").trimmingSpaces.isEmpty {
                row.fail(
                    "currency",
                    record.line == firstLine
                        ? "required to read unit_price"
                        : "required to read unit_price (no earlier row of this order names it)"
                )
            }
            orders[index].lineItems.append(item)

            if !row.errors.isEmpty {
                invalid[index] = true
                file.errors += row.errors
            }
        }

        for index in orders.indices where !invalid[index] {
            var order = orders[index]
            order.customerExternalID = fields[index].customerExternalID
            order.currencyCode = fields[index].currency
            if let time = fields[index].orderTime { order.orderTime = time }
            order.status = fields[index].status
            file.records.append(order)
            file.lines.append(lines[index])
        }
        return file
    }
}

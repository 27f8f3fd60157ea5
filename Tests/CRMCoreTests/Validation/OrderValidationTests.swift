import CRMCore
import Foundation
import Testing

@Suite("Order validation")
struct OrderValidationTests {
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    func item(quantity: Int64 = 1, unitPriceMinor: Int64 = 999) -> LineItem {
        LineItem(
            sku: "SKU-1",
            productName: "Coffee beans",
            category: "coffee",
            quantity: quantity,
            unitPriceMinor: unitPriceMinor
        )
    }

    @Test("normalises a valid order")
    func normalises() throws {
        let order = Order(
            customerExternalID: " SAP-7 ",
            externalID: " shop:1001 ",
            currencyCode: " eur ",
            lineItems: [
                LineItem(sku: " B-1 ", productName: " Beans ", category: " coffee ", quantity: 2, unitPriceMinor: 1250)
            ],
            orderTime: now.addingTimeInterval(-3600)
        )
        let validated = try order.validated(field: "order", now: now)
        #expect(validated.customerExternalID == "SAP-7")
        #expect(validated.externalID == "shop:1001")
        #expect(validated.currencyCode == "EUR")
        #expect(
            validated.lineItems == [
                LineItem(sku: "B-1", productName: "Beans", category: "coffee", quantity: 2, unitPriceMinor: 1250)
            ]
        )
        #expect(validated.totalMinor == 2500)
    }

    @Test("accepts a customer named by id alone")
    func customerByID() throws {
        let order = Order(customerID: 7, currencyCode: "JPY", lineItems: [item()], orderTime: now)
        #expect(try order.validated(field: "order", now: now).customerID == 7)
    }

    @Test("reports every wrong top-level field in one error")
    func everyViolation() throws {
        let order = Order(
            externalID: "bad id",
            currencyCode: "",
            lineItems: [],
            orderTime: Date(timeIntervalSince1970: 0)
        )
        let error = #expect(throws: CRMError.self) { try order.validated(field: "order", now: now) }
        #expect(
            error?.violations
                == [
                    .init(field: "order.customer", description: "customer or customer_external_id is required"),
                    .init(
                        field: "order.external_id",
                        description: "may contain only letters, digits and - _ . : / @ # (found spaces)"
                    ),
                    .init(field: "order.currency_code", description: "is required"),
                    .init(field: "order.line_items", description: "must have at least one line item"),
                    .init(field: "order.order_time", description: "is required"),
                ]
        )
    }

    @Test("reports every wrong line item field with its index")
    func lineItemViolations() throws {
        let order = Order(
            customerID: 1,
            currencyCode: "usd",
            lineItems: [
                item(),
                LineItem(
                    sku: String(repeating: "s", count: 65),
                    productName: " ",
                    category: String(repeating: "c", count: 65),
                    quantity: 0,
                    unitPriceMinor: -1
                ),
                LineItem(productName: "Mug", category: "", quantity: 1_000_001, unitPriceMinor: 1_000_000_000_001),
            ],
            orderTime: now
        )
        let error = #expect(throws: CRMError.self) { try order.validated(field: "orders[4]", now: now) }
        #expect(
            error?.violations.map(\.field)
                == [
                    "orders[4].line_items[1].product_name",
                    "orders[4].line_items[1].category",
                    "orders[4].line_items[1].sku",
                    "orders[4].line_items[1].quantity",
                    "orders[4].line_items[1].unit_price_minor",
                    "orders[4].line_items[2].category",
                    "orders[4].line_items[2].quantity",
                    "orders[4].line_items[2].unit_price_minor",
                ]
        )
        let descriptions = error?.violations.map(\.description) ?? []
        #expect(descriptions.contains("must be between 1 and 1000000 (got 0)"))
        #expect(descriptions.contains("must be between 0 and 1000000000000 (got 1000000000001)"))
    }

    @Test("accepts the extreme quantities and prices")
    func bounds() throws {
        let order = Order(
            customerID: 1,
            currencyCode: "EUR",
            lineItems: [
                item(quantity: 1_000_000, unitPriceMinor: 1_000_000_000_000), item(quantity: 1, unitPriceMinor: 0),
            ],
            orderTime: now
        )
        #expect(try order.validated(field: "order", now: now).totalMinor == 1_000_000_000_000_000_000)
    }

    @Test("rejects an order whose total would overflow")
    func totalOverflow() throws {
        let line = item(quantity: 1_000_000, unitPriceMinor: 1_000_000_000_000)
        let nine = Order(
            customerID: 1,
            currencyCode: "EUR",
            lineItems: Array(repeating: line, count: 9),
            orderTime: now
        )
        #expect(try nine.validated(field: "order", now: now).totalMinor == 9_000_000_000_000_000_000)
        let ten = Order(
            customerID: 1,
            currencyCode: "EUR",
            lineItems: Array(repeating: line, count: 10),
            orderTime: now
        )
        let error = #expect(throws: CRMError.self) { try ten.validated(field: "order", now: now) }
        #expect(error?.violations.map(\.field) == ["order.line_items"])
        #expect(error?.violations.first?.description.contains("order total exceeds") == true)
    }

    @Test("allows at most 1000 line items")
    func lineItemLimit() throws {
        let thousand = Order(
            customerID: 1,
            currencyCode: "EUR",
            lineItems: Array(repeating: item(), count: 1000),
            orderTime: now
        )
        #expect(try thousand.validated(field: "order", now: now).lineItems.count == 1000)
        let tooMany = Order(
            customerID: 1,
            currencyCode: "EUR",
            lineItems: Array(repeating: item(), count: 1001),
            orderTime: now
        )
        let error = #expect(throws: CRMError.self) { try tooMany.validated(field: "order", now: now) }
        #expect(
            error?.violations == [
                .init(field: "order.line_items", description: "must have at most 1000 line items (got 1001)")
            ]
        )
    }

    @Test(
        "order_time must be set, after 1900 and at most a day ahead",
        arguments: [
            (1_750_000_000.0 + 86_400 + 1, "must not be more than one day in the future"),
            (-2_208_988_801.0, "must not be before 1900-01-01"),
            (0.0, "is required"),
        ]
    )
    func orderTime(seconds: TimeInterval, reason: String) throws {
        let order = Order(
            customerID: 1,
            currencyCode: "EUR",
            lineItems: [item()],
            orderTime: Date(timeIntervalSince1970: seconds)
        )
        let error = #expect(throws: CRMError.self) { try order.validated(field: "order", now: now) }
        #expect(error?.violations.map(\.field) == ["order.order_time"])
        #expect(error?.violations.first?.description.hasPrefix(reason) == true)
    }

    @Test("an order time exactly one day ahead is accepted")
    func orderTimeOneDayAhead() throws {
        let order = Order(
            customerID: 1,
            currencyCode: "EUR",
            lineItems: [item()],
            orderTime: now.addingTimeInterval(86_400)
        )
        #expect(try order.validated(field: "order", now: now).orderTime == now.addingTimeInterval(86_400))
    }

    @Test("rejects an unknown currency")
    func unknownCurrency() throws {
        let order = Order(customerID: 1, currencyCode: "EUX", lineItems: [item()], orderTime: now)
        let error = #expect(throws: CRMError.self) { try order.validated(field: "order", now: now) }
        #expect(error?.violations.map(\.field) == ["order.currency_code"])
    }
}

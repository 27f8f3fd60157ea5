public import Foundation

extension Order {
    /// The most line items one order may have.
    public static let maxLineItems = 1000
    /// The largest quantity of one line item.
    public static let maxQuantity: Int64 = 1_000_000
    /// The largest unit price, in minor units (ten billion euros in cents).
    public static let maxUnitPriceMinor: Int64 = 1_000_000_000_000

    /// This order with every client-writable field normalised, or an error naming every wrong field.
    ///
    /// The rules: the customer is named by `customer` (a row id above 0) or `customer_external_id`;
    /// `currency_code` is required and an active ISO 4217 code; there are 1 to ``maxLineItems`` line items, each
    /// with a `product_name` (required, at most 200 characters), a `category` (required, at most 64), an optional
    /// `sku` (at most 64), a `quantity` of 1 to ``maxQuantity`` and a `unit_price_minor` of 0 to
    /// ``maxUnitPriceMinor``; the total of all lines fits in an `Int64`; `external_id` per ``Identifier``, at most
    /// 128 characters; `order_time` is required, not before 1900 and not more than a day ahead.
    ///
    /// `order_time` has no "unset" value of its own: the Unix epoch, `Date(timeIntervalSince1970: 0)`, stands for
    /// "not sent" and is rejected as "is required". Callers that default a missing time to the time of the request
    /// must fill it in before validating.
    ///
    /// - Parameters:
    ///   - prefix: the path of the order in the request, `order` or `orders[3]` for a batch row;
    ///     every violation's field starts with it.
    ///   - now: the server's clock, against which `order_time` is checked.
    /// - Throws: one ``CRMError`` (`invalidArgument`) listing every violation.
    public func validated(field prefix: String, now: Date = Date()) throws -> Order {
        var collector = ViolationCollector()
        var result = self
        func path(_ name: String) -> String { FieldPath.member(prefix, name) }

        result.customerExternalID = try ParentReference.validate(
            id: customerID,
            externalID: customerExternalID,
            parent: "customer",
            prefix: prefix,
            collector: &collector
        )
        result.externalID =
            try collector.check { try Identifier.normalized(externalID, field: path("external_id"), maxLength: 128) }
            ?? externalID
        result.currencyCode =
            try collector.check { try CurrencyCode.normalized(currencyCode, field: path("currency_code")) }
            ?? currencyCode
        result.lineItems = try validatedLineItems(prefix: path("line_items"), collector: &collector)
        _ = try collector.check { try EventTime.checkRequired(orderTime, field: path("order_time"), now: now) }

        try collector.throwIfAny()
        return result
    }

    private func validatedLineItems(prefix: String, collector: inout ViolationCollector) throws -> [LineItem] {
        if lineItems.isEmpty {
            collector.add(prefix, "must have at least one line item")
            return lineItems
        }
        if lineItems.count > Self.maxLineItems {
            // Checking each of an oversized list would bury this one violation under thousands.
            collector.add(prefix, "must have at most \(Self.maxLineItems) line items (got \(lineItems.count))")
            return lineItems
        }
        var total: Int64 = 0
        var totalOverflows = false
        var items: [LineItem] = []
        items.reserveCapacity(lineItems.count)
        for (index, item) in lineItems.enumerated() {
            let validated = try item.validated(field: FieldPath.element(prefix, index), collector: &collector)
            // Lines already reported as out of range are left out: their total would be noise.
            if let lineTotal = validated.checkedTotalMinor {
                let (sum, overflow) = total.addingReportingOverflow(lineTotal)
                total = sum
                totalOverflows = totalOverflows || overflow
            }
            items.append(validated)
        }
        if totalOverflows {
            collector.add(
                prefix,
                "the order total exceeds the largest amount that can be stored (\(Int64.max) minor units)"
            )
        }
        return items
    }
}

extension LineItem {
    /// This line with its text fields trimmed; violations go to `collector` under `prefix`.
    fileprivate func validated(field prefix: String, collector: inout ViolationCollector) throws -> LineItem {
        var result = self
        func path(_ name: String) -> String { FieldPath.member(prefix, name) }

        result.productName =
            try collector.check {
                try TextField.normalized(productName, field: path("product_name"), required: true, maxLength: 200)
            } ?? productName
        result.category =
            try collector.check {
                try TextField.normalized(category, field: path("category"), required: true, maxLength: 64)
            } ?? category
        result.sku = try collector.check { try TextField.normalized(sku, field: path("sku"), maxLength: 64) } ?? sku
        if !(1...Order.maxQuantity).contains(quantity) {
            collector.add(path("quantity"), "must be between 1 and \(Order.maxQuantity) (got \(quantity))")
        }
        if !(0...Order.maxUnitPriceMinor).contains(unitPriceMinor) {
            collector.add(
                path("unit_price_minor"),
                "must be between 0 and \(Order.maxUnitPriceMinor) (got \(unitPriceMinor))"
            )
        }
        return result
    }

    /// The line total when quantity and unit price are within their limits, where it cannot overflow.
    fileprivate var checkedTotalMinor: Int64? {
        guard (1...Order.maxQuantity).contains(quantity), (0...Order.maxUnitPriceMinor).contains(unitPriceMinor) else {
            return nil
        }
        return quantity * unitPriceMinor
    }
}

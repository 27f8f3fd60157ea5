import CRMProto

/// Payments in CSV: one row per payment, amounts in major units of the row's currency.
enum PaymentCSV: CSVSchema {
    typealias Record = Crm_V1_Payment

    static let noun = "payments"
    static let requiredColumns = ["order_external_id", "paid_time", "amount", "currency"]
    static let columns = ["external_id", "order_external_id", "paid_time", "amount", "currency", "method"]

    static func rows(for payment: Crm_V1_Payment, header: [String]) -> [[String]] {
        [
            [
                payment.externalID, payment.orderExternalID,
                RFC3339.format(payment.paidTime, isSet: payment.hasPaidTime),
                Money.majorText(
                    fromMinor: payment.amountMinor,
                    exponent: Currency.minorUnitDigits(payment.currencyCode)
                ),
                payment.currencyCode, payment.method,
            ]
        ]
    }

    static func decodeRows(of table: CSVTable) -> DecodedFile<Crm_V1_Payment> {
        var file = DecodedFile<Crm_V1_Payment>()
        for record in table.records {
            file.rowCount += 1
            if let error = fieldCountError(record, in: table) {
                file.errors.append(error)
                continue
            }
            var row = RowReader(record: record, table: table)
            var payment = Crm_V1_Payment()
            payment.externalID = row.text("external_id")
            payment.orderExternalID = row.text("order_external_id")
            if let time = row.value("paid_time", RFC3339.parseOptional), let time {
                payment.paidTime = time
            }
            if let currency = row.value("currency", Currency.normalizedCode) {
                payment.currencyCode = currency
                let exponent = Currency.minorUnitDigits(currency)
                if let amount = row.value(
                    "amount",
                    { (text) throws(ValueError) in try Money.minorUnits(fromMajor: text, exponent: exponent) }
                ) {
                    payment.amountMinor = amount
                }
            }
            payment.method = row.text("method")
            if row.errors.isEmpty {
                file.records.append(payment)
                file.lines.append([record.line])
            } else {
                file.errors += row.errors
            }
        }
        return file
    }
}

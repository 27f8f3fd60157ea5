public import Foundation

extension Payment {
    /// The largest payment, in minor units (a hundred billion euros in cents).
    public static let maxAmountMinor: Int64 = 10_000_000_000_000
    /// The longest payment method name.
    public static let maxMethodLength = 32

    /// This payment with every client-writable field normalised, or an error naming every wrong field.
    ///
    /// The rules: the order is named by `order` (a row id above 0) or `order_external_id`; `amount_minor` is
    /// 1 to ``maxAmountMinor``; `currency_code` is required and an active ISO 4217 code; `method` (`card`,
    /// `bank_transfer`, `cash`) is optional, at most ``maxMethodLength`` lower-case letters, digits, `-` and `_`;
    /// `external_id` per ``Identifier``, at most 128 characters; `paid_time` is required, not before 1900 and not
    /// more than a day ahead.
    ///
    /// `paid_time` has no "unset" value of its own: the Unix epoch, `Date(timeIntervalSince1970: 0)`, stands for
    /// "not sent" and is rejected as "is required". Callers that default a missing time to the time of the request
    /// must fill it in before validating.
    ///
    /// - Parameters:
    ///   - prefix: the path of the payment in the request, `payment` or `payments[3]` for a batch row;
    ///     every violation's field starts with it.
    ///   - now: the server's clock, against which `paid_time` is checked.
    /// - Throws: one ``CRMError`` (`invalidArgument`) listing every violation.
    public func validated(field prefix: String, now: Date = Date()) throws -> Payment {
        var collector = ViolationCollector()
        var result = self
        func path(_ name: String) -> String { FieldPath.member(prefix, name) }

        result.orderExternalID = try ParentReference.validate(
            id: orderID,
            externalID: orderExternalID,
            parent: "order",
            prefix: prefix,
            collector: &collector
        )
        result.externalID =
            try collector.check { try Identifier.normalized(externalID, field: path("external_id"), maxLength: 128) }
            ?? externalID
        if !(1...Self.maxAmountMinor).contains(amountMinor) {
            collector.add(path("amount_minor"), "must be between 1 and \(Self.maxAmountMinor) (got \(amountMinor))")
        }
        result.currencyCode =
            try collector.check { try CurrencyCode.normalized(currencyCode, field: path("currency_code")) }
            ?? currencyCode
        result.method = try collector.check { try Self.normalizedMethod(method, field: path("method")) } ?? method
        _ = try collector.check { try EventTime.checkRequired(paidTime, field: path("paid_time"), now: now) }

        try collector.throwIfAny()
        return result
    }

    /// The payment method trimmed and lower-cased, so that `Card` and `card` are counted together.
    private static func normalizedMethod(_ raw: String, field: String) throws -> String {
        let method = try TextField.normalized(raw, field: field, maxLength: maxMethodLength).lowercased()
        if let bad = method.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_")) }) {
            throw CRMError.invalid(
                field,
                "may contain only ASCII letters, digits, - and _ (found \(bad.readableDescription))"
            )
        }
        return method
    }
}

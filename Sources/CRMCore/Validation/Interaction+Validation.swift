public import Foundation

extension Interaction {
    /// The longest call or meeting, in seconds: one day.
    public static let maxDurationSeconds: Int32 = 86_400

    /// This interaction with every client-writable field normalised, or an error naming every wrong field.
    ///
    /// The rules: the customer is named by `customer` (a row id above 0) or `customer_external_id`; `kind` is
    /// required; `occur_time` is required, not before 1900 and not more than a day ahead; `subject` is at most
    /// 500 characters on one line; `body` at most 100,000 characters, line breaks allowed; `outcome` (lower-cased)
    /// and `topic` at most 64 characters; `duration_seconds` 0 to ``maxDurationSeconds``; `external_id` per
    /// ``Identifier``, at most 128 characters.
    ///
    /// `occur_time` has no "unset" value of its own: the Unix epoch, `Date(timeIntervalSince1970: 0)`, stands for
    /// "not sent" and is rejected as "is required". Callers that default a missing time to the time of the request
    /// must fill it in before validating.
    ///
    /// - Parameters:
    ///   - prefix: the path of the interaction in the request, `interaction` or `interactions[3]` for a batch
    ///     row; every violation's field starts with it.
    ///   - now: the server's clock, against which `occur_time` is checked.
    /// - Throws: one ``CRMError`` (`invalidArgument`) listing every violation.
    public func validated(field prefix: String, now: Date = Date()) throws -> Interaction {
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
        if kind == .unspecified {
            collector.add(path("kind"), "is required")
        }
        _ = try collector.check { try EventTime.checkRequired(occurTime, field: path("occur_time"), now: now) }
        result.subject =
            try collector.check { try TextField.normalized(subject, field: path("subject"), maxLength: 500) } ?? subject
        result.body =
            try collector.check {
                try TextField.normalized(body, field: path("body"), maxLength: 100_000, multiline: true)
            } ?? body
        result.outcome =
            try collector.check {
                try TextField.normalized(outcome, field: path("outcome"), maxLength: 64).lowercased()
            } ?? outcome
        result.topic =
            try collector.check { try TextField.normalized(topic, field: path("topic"), maxLength: 64) } ?? topic
        if !(0...Self.maxDurationSeconds).contains(durationSeconds) {
            collector.add(
                path("duration_seconds"),
                "must be between 0 and \(Self.maxDurationSeconds) (got \(durationSeconds))"
            )
        }

        try collector.throwIfAny()
        return result
    }
}

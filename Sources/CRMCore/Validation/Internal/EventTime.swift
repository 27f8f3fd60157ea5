import Foundation

/// The plausibility rules shared by every point in time a client reports: when an order was placed,
/// a payment made, an interaction held, a customer acquired.
enum EventTime {
    /// How far ahead of the server's clock a reported time may be; covers time zones and skewed clocks.
    static let futureTolerance: TimeInterval = 86_400

    /// 1900-01-01T00:00:00Z: anything earlier is a typo or a placeholder, not a business event.
    static let earliest = Date(timeIntervalSince1970: -2_208_988_800)

    /// The value a time field has when the client did not send it.
    static let unset = Date(timeIntervalSince1970: 0)

    /// Checks a time that must be set.
    ///
    /// - Parameters:
    ///   - time: the reported time; ``unset`` (the Unix epoch) counts as missing.
    ///   - field: the path of the field, named in the error.
    ///   - now: the server's clock.
    /// - Throws: ``CRMError`` naming `field` when the time is missing, before 1900 or more than a day ahead.
    static func checkRequired(_ time: Date, field: String, now: Date) throws {
        guard time != unset else {
            throw CRMError.invalid(field, "is required")
        }
        try checkPlausible(time, field: field, now: now)
    }

    /// Checks a time that may be left out; only its plausibility is checked.
    ///
    /// - Parameters:
    ///   - time: the reported time.
    ///   - field: the path of the field, named in the error.
    ///   - now: the server's clock.
    static func checkPlausible(_ time: Date, field: String, now: Date) throws {
        if time < earliest {
            throw CRMError.invalid(field, "must not be before 1900-01-01 (got \(time.formatted(.iso8601)))")
        }
        if time > now.addingTimeInterval(futureTolerance) {
            throw CRMError.invalid(
                field,
                "must not be more than one day in the future (got \(time.formatted(.iso8601)))"
            )
        }
    }
}

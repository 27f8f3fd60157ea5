import CRMProto

/// What `crmctl demo` should generate.
struct DemoConfig: Sendable {
    var customers: Int
    var seed: UInt64 = 1
    /// Years of history before ``until``.
    var years: Int = 3
    /// No order, payment or interaction is at or after this day (midnight UTC).
    var until = CivilDate(year: 2026, month: 1, day: 1)
    var currency = "EUR"

    /// The first day of the history.
    var start: CivilDate {
        let year = until.year - Int64(years)
        return CivilDate(
            year: year,
            month: until.month,
            day: min(until.day, CivilDate.daysInMonth(year: year, month: until.month))
        )
    }
}

/// A generated data set, in the order it is imported.
struct DemoDataSet: Sendable, Equatable {
    var customers: [Crm_V1_Customer] = []
    var orders: [Crm_V1_Order] = []
    var payments: [Crm_V1_Payment] = []
    var interactions: [Crm_V1_Interaction] = []
}

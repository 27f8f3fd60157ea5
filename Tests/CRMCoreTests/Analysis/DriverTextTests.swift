import Testing

@testable import CRMCore

@Suite("Drivers in words")
struct DriverTextTests {
    @Test(
        "every kind of feature column reads as a sentence a sales manager understands",
        arguments: [
            ("days_since_last_contact", 918.0, "no contact for 918 days"),
            ("days_since_last_contact", nil, "never contacted"),
            ("recency_days", 42.4, "last purchase 42 days ago"),
            ("recency_days", nil, "never bought"),
            ("frequency_365d", 3, "bought 3 times in the last year"),
            ("frequency_90d", 1, "bought once in the last 90 days"),
            ("frequency_all", 12, "bought 12 times in all"),
            ("monetary_180d", 1234.5, "spent 1,234.50 in the last 180 days"),
            ("category_share.software", 0.4, "software is 40 % of all spend"),
            ("category_share_365d.cloud", 0.125, "cloud is 13 % of spend in the last year"),
            ("last_category.hardware", 1, "last bought hardware"),
            ("last_category.hardware", 0, "last purchase was not hardware"),
            ("interactions.call", 1, "1 call in all"),
            ("interactions.meeting", 4, "4 meetings in all"),
            ("outcome.complaint", 2, "2 contacts ended \"complaint\""),
            ("topic_90d.training", 3, "3 contacts about training in the last 90 days"),
            ("trend_orders_180d", -2, "2 fewer orders in the last 180 days than in the 180 before"),
            ("trend_spend_180d", 500, "spent 500.00 more in the last 180 days than in the 180 before"),
            ("tenure_days", 730, "customer for 730 days"),
            ("attr.segment=enterprise", 1, "segment is enterprise"),
            ("attr.segment=enterprise", 0, "segment is not enterprise"),
            ("attr.employees", 250, "employees is 250"),
            ("attr.employees", nil, "employees is not set"),
            ("something_new", 1.5, "something_new = 1.5"),
        ] as [(String, Double?, String)]
    )
    func describe(_ feature: String, _ value: Double?, _ expected: String) {
        #expect(DriverText.describe(feature: feature, value: value) == expected)
    }
}

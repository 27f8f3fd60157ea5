import Testing

@testable import CRMCore

@Suite("FeatureSchema non-negative columns")
struct FeatureSchemaSignTests {
    @Test("only the trends and numeric attributes may be negative")
    func signedColumns() {
        let schema = FeatureSchema(
            categories: ["books"],
            outcomes: ["won"],
            topics: ["pricing"],
            numericAttributes: ["employees"],
            categoricalAttributes: [.init(key: "industry", values: ["retail"])]
        )
        let names = schema.featureNames
        let signed = Set(names.indices).subtracting(schema.nonNegativeFeatures).map { names[$0] }.sorted()
        #expect(signed == ["attr.employees", "trend_orders_180d", "trend_spend_180d"])
        #expect(names.contains("attr.industry=retail") && names.contains("monetary_all"))
    }
}

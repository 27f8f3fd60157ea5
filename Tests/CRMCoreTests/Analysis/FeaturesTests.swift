import CRMTestSupport
import Foundation
import Testing

@testable import CRMCore

@Suite("Analysis features and targets")
struct FeaturesTests {
    typealias R = TinyRegistry

    static let expectedNames = [
        "recency_days", "frequency_30d", "frequency_90d", "frequency_180d", "frequency_365d", "frequency_all",
        "monetary_30d", "monetary_90d", "monetary_180d", "monetary_365d", "monetary_all", "average_basket",
        "purchases_per_year", "mean_gap_days", "tenure_days", "trend_spend_180d", "trend_orders_180d",
        "category_share.books", "category_share.garden", "category_share.music", "category_share.(other)",
        "category_share_365d.books", "category_share_365d.garden", "category_share_365d.music",
        "category_share_365d.(other)", "last_category.books", "last_category.garden", "last_category.music",
        "last_category.(other)", "interactions_all", "interactions_90d", "interactions.visit", "interactions.call",
        "interactions.email", "interactions.meeting", "interactions.note", "interactions.(other)", "outcome.won",
        "outcome.lost", "outcome.(other)", "days_since_last_contact", "topic_90d.pricing", "topic_90d.delivery",
        "topic_90d.(other)", "attr.employees", "attr.industry=finance", "attr.industry=retail",
        "attr.industry=(other)",
    ]

    @Test("the schema learns its vocabularies from purchases and contacts before the cut-off")
    func schema() {
        let schema = FeatureSchema.learn(from: R.past, asOf: R.cutoff)
        // Lines: books 3 (Ada) + 1 (Bo) = 4; garden 2 (Bo; Ada's is cancelled); music 2; ties by name.
        #expect(schema.categories == ["books", "garden", "music"])
        #expect(schema.outcomes == ["won", "lost"])
        #expect(schema.topics == ["pricing", "delivery"])
        #expect(schema.numericAttributes == ["employees"])
        #expect(schema.categoricalAttributes == [.init(key: "industry", values: ["finance", "retail"])])
        #expect(schema.featureNames == Self.expectedNames)

        let capped = FeatureSchema.learn(from: R.past, asOf: R.cutoff, vocabularyLimit: 1)
        #expect(capped.categories == ["books"])
        let row = capped.features(of: R.past[1], asOf: R.cutoff)
        // Bo's spend 7000 JPY: books 1000, the rest (garden 6000) in the other bucket.
        #expect(row[capped.featureNames.firstIndex(of: "category_share.(other)")!] == 6000.0 / 7000.0)
        #expect(row[capped.featureNames.firstIndex(of: "last_category.(other)")!] == 1)
    }

    @Test("Ada's features, worked out by hand")
    func adaFeatures() {
        let schema = FeatureSchema.learn(from: R.past, asOf: R.cutoff)
        let row = schema.features(of: R.past[0], asOf: R.cutoff)
        // Purchases on days 20 (25.00), 300 (30.00), 350 (20.00); the cancelled day-380 order never counts.
        let expected: [String: Double?] = [
            "recency_days": 50,  // 400 - 350
            "frequency_30d": 0, "frequency_90d": 1, "frequency_180d": 2, "frequency_365d": 2, "frequency_all": 3,
            "monetary_30d": 0, "monetary_90d": 20, "monetary_180d": 50, "monetary_365d": 50, "monetary_all": 75,
            "average_basket": 25,  // 75 / 3
            "purchases_per_year": 3.0 * 365 / 380,  // first purchase 380 days before
            "mean_gap_days": 165,  // (350 - 20) / 2
            "tenure_days": 400,  // customer since day 0
            "trend_spend_180d": 50,  // days 220..<400: 50; days 40..<220: nothing
            "trend_orders_180d": 2,
            // All time: books 20 + 30 + 5 = 55, music 5 + 15 = 20, of 75.
            "category_share.books": 55.0 / 75, "category_share.garden": 0, "category_share.music": 20.0 / 75,
            "category_share.(other)": 0,
            // Days 35..<400: books 30 + 5 = 35, music 15, of 50.
            "category_share_365d.books": 35.0 / 50, "category_share_365d.garden": 0,
            "category_share_365d.music": 15.0 / 50, "category_share_365d.(other)": 0,
            // Day 350: music 15.00 beats books 5.00.
            "last_category.books": 0, "last_category.garden": 0, "last_category.music": 1,
            "last_category.(other)": 0,
            "interactions_all": 3, "interactions_90d": 2,  // days 320 and 390 are after day 310
            "interactions.visit": 0, "interactions.call": 1, "interactions.email": 1, "interactions.meeting": 1,
            "interactions.note": 0, "interactions.(other)": 0,
            "outcome.won": 1, "outcome.lost": 1, "outcome.(other)": 0,
            "days_since_last_contact": 10,
            "topic_90d.pricing": 1, "topic_90d.delivery": 1, "topic_90d.(other)": 0,
            "attr.employees": 12, "attr.industry=finance": 0, "attr.industry=retail": 1, "attr.industry=(other)": 0,
        ]
        #expect(Dictionary(uniqueKeysWithValues: zip(schema.featureNames, row)) == expected)
    }

    @Test("Bo's features: yen without minor unit, tenure from the first purchase, missing values")
    func boFeatures() {
        let schema = FeatureSchema.learn(from: R.past, asOf: R.cutoff)
        let row = schema.features(of: R.past[1], asOf: R.cutoff)
        // Purchases on days 250 (4000 JPY) and 395 (3000 JPY).
        let expected: [String: Double?] = [
            "recency_days": 5,
            "frequency_30d": 1, "frequency_90d": 1, "frequency_180d": 2, "frequency_365d": 2, "frequency_all": 2,
            "monetary_30d": 3000, "monetary_90d": 3000, "monetary_180d": 7000, "monetary_365d": 7000,
            "monetary_all": 7000,
            "average_basket": 3500,
            "purchases_per_year": 2.0 * 365 / 150,
            "mean_gap_days": 145,
            "tenure_days": 150,  // no customer_since: from the first purchase, day 250
            "trend_spend_180d": 7000, "trend_orders_180d": 2,
            // Books 1000, garden 4000 + 2000, of 7000.
            "category_share.books": 1000.0 / 7000, "category_share.garden": 6000.0 / 7000,
            "category_share.music": 0, "category_share.(other)": 0,
            "category_share_365d.books": 1000.0 / 7000, "category_share_365d.garden": 6000.0 / 7000,
            "category_share_365d.music": 0, "category_share_365d.(other)": 0,
            "last_category.books": 0, "last_category.garden": 1, "last_category.music": 0,
            "last_category.(other)": 0,
            "interactions_all": 1, "interactions_90d": 0,
            "interactions.visit": 1, "interactions.call": 0, "interactions.email": 0, "interactions.meeting": 0,
            "interactions.note": 0, "interactions.(other)": 0,
            "outcome.won": 1, "outcome.lost": 0, "outcome.(other)": 0,
            "days_since_last_contact": 300,
            "topic_90d.pricing": 0, "topic_90d.delivery": 0, "topic_90d.(other)": 0,
            "attr.employees": nil, "attr.industry=finance": 1, "attr.industry=retail": 0, "attr.industry=(other)": 0,
        ]
        #expect(Dictionary(uniqueKeysWithValues: zip(schema.featureNames, row)) == expected)
    }

    @Test("a customer with no purchases and no contacts has missing recency, basket, gaps and shares")
    func emptyCustomer() {
        let schema = FeatureSchema.learn(from: R.past, asOf: R.cutoff)
        let row = Dictionary(
            uniqueKeysWithValues: zip(schema.featureNames, schema.features(of: R.past[2], asOf: R.cutoff))
        )
        for name in [
            "recency_days", "average_basket", "purchases_per_year", "mean_gap_days", "tenure_days",
            "category_share.books", "category_share_365d.music", "days_since_last_contact", "attr.employees",
        ] {
            #expect(row[name] == .some(nil), "\(name)")
        }
        #expect(row["frequency_all"] == 0)
        #expect(row["monetary_all"] == 0)
        #expect(row["last_category.books"] == 0)
        #expect(row["attr.industry=(other)"] == 0)
    }

    @Test("the cut-off rule: data from the cut-off on changes the labels, never the features")
    func cutoffRule() {
        let before = TrainingSnapshot.build(
            histories: R.past,
            target: .nextCategory,
            cutoff: R.cutoff,
            horizon: R.horizon
        )
        let after = TrainingSnapshot.build(
            histories: R.withFuture,
            target: .nextCategory,
            cutoff: R.cutoff,
            horizon: R.horizon
        )
        #expect(before.schema == after.schema)  // no "toys", no "escalated", no "returns"
        #expect(after.featureNames == Self.expectedNames)
        #expect(before.customerIDs == [1, 2])
        #expect(after.customerIDs == [1, 2])
        #expect(before.rows.count == 2)
        for (old, new) in zip(before.rows, after.rows) {
            #expect(old == new)
        }
        #expect(before.labels == ["none", "none"])
        // Ada in days 400..<490: books 2 lines (1.00 + 10.00), music 1 line (20.00): lines win over spend.
        // Bo's day-495 order is after the horizon.
        #expect(after.labels == ["books", "none"])
        // Cy was not a customer before the cut-off.
        #expect(after.excludedNotYetCustomers == 1)
        #expect(after.excludedWithoutLabel == 0)

        let churnBefore = TrainingSnapshot.build(
            histories: R.past,
            target: .churn,
            cutoff: R.cutoff,
            horizon: R.horizon
        )
        let churnAfter = TrainingSnapshot.build(
            histories: R.withFuture,
            target: .churn,
            cutoff: R.cutoff,
            horizon: R.horizon
        )
        #expect(churnBefore.labels == ["churned", "churned"])
        #expect(churnAfter.labels == ["retained", "churned"])
        #expect(churnBefore.rows == churnAfter.rows)
    }

    @Test("every customer's features ignore whatever happens at or after as-of")
    func featuresNeverSeeTheFuture() {
        let schema = FeatureSchema.learn(from: R.withFuture, asOf: R.cutoff)
        #expect(schema == FeatureSchema.learn(from: R.past, asOf: R.cutoff))
        for (past, full) in zip(R.past, R.withFuture) {
            #expect(schema.features(of: past, asOf: R.cutoff) == schema.features(of: full, asOf: R.cutoff))
        }
    }

    @Test("next-category ties go to the larger spend, then the name; nothing bought is \"none\"")
    func nextCategoryTies() {
        let customer = Customer(id: 9, createTime: R.day(0))
        let bySpend = CustomerHistory(
            customer: customer,
            orders: [R.order(1, 9, day: 410, "EUR", [R.line("books", 1, 1000), R.line("music", 1, 2000)])]
        )
        #expect(AnalysisTarget.nextCategory.label(for: bySpend, cutoff: R.cutoff, horizon: R.horizon) == "music")
        let byName = CustomerHistory(
            customer: customer,
            orders: [
                R.order(1, 9, day: 410, "EUR", [R.line("music", 2, 1000)]),
                R.order(2, 9, day: 420, "EUR", [R.line("books", 1, 2000)]),
            ]
        )
        #expect(AnalysisTarget.nextCategory.label(for: byName, cutoff: R.cutoff, horizon: R.horizon) == "books")
        let cancelled = CustomerHistory(
            customer: customer,
            orders: [R.order(1, 9, day: 410, "EUR", [R.line("books", 1, 1000)], status: .refunded)]
        )
        #expect(AnalysisTarget.nextCategory.label(for: cancelled, cutoff: R.cutoff, horizon: R.horizon) == "none")
        #expect(AnalysisTarget.churn.label(for: cancelled, cutoff: R.cutoff, horizon: R.horizon) == "churned")
    }

    @Test("attribute and tag targets; the predicted attribute is not a feature")
    func attributeAndTagTargets() {
        let industry = TrainingSnapshot.build(
            histories: R.withFuture,
            target: .attribute("industry"),
            cutoff: R.cutoff,
            horizon: R.horizon
        )
        #expect(industry.labels == ["retail", "finance"])
        #expect(!industry.featureNames.contains { $0.hasPrefix("attr.industry") })
        #expect(industry.featureNames.contains("attr.employees"))

        let employees = TrainingSnapshot.build(
            histories: R.withFuture,
            target: .attribute("employees"),
            cutoff: R.cutoff,
            horizon: R.horizon
        )
        #expect(employees.customerIDs == [1])
        #expect(employees.labels == ["12"])
        #expect(employees.excludedWithoutLabel == 1)
        #expect(employees.excludedNotYetCustomers == 1)

        let vip = TrainingSnapshot.build(
            histories: R.withFuture,
            target: .tag("vip"),
            cutoff: R.cutoff,
            horizon: R.horizon
        )
        #expect(vip.labels == ["yes", "no"])
    }

    @Test("the default cut-off is one horizon before the newest purchase")
    func defaultCutoff() {
        // Newest purchase: Bo's day 495 (Ada's day-600 order is cancelled).
        #expect(TrainingSnapshot.defaultCutoff(histories: R.withFuture, horizon: R.horizon) == R.day(405))
        #expect(TrainingSnapshot.defaultCutoff(histories: [R.past[2]], horizon: R.horizon) == nil)
    }

    @Test("with a target, the default cut-off steps back past a lone recent purchase to where two classes are")
    func defaultCutoffStepsBack() {
        func customer(_ id: Int64, since: Double, _ orders: [Order]) -> CustomerHistory {
            CustomerHistory(
                customer: Customer(
                    id: id,
                    displayName: "C\(id)",
                    customerSince: R.day(since),
                    createTime: R.day(since)
                ),
                orders: orders,
                interactions: []
            )
        }
        // The history ends on day 190; a customer made on day 499 bought on day 500, as the quick start's own
        // order does after the demo data.
        let histories = [
            customer(
                1,
                since: 0,
                [
                    R.order(1, 1, day: 150, "EUR", [R.line("books", 1, 100)]),
                    R.order(5, 1, day: 190, "EUR", [R.line("books", 1, 100)]),
                ]
            ),
            customer(2, since: 0, [R.order(2, 2, day: 160, "EUR", [R.line("books", 1, 100)])]),
            customer(3, since: 0, [R.order(3, 3, day: 170, "EUR", [R.line("garden", 1, 100)])]),
            customer(4, since: 0, [R.order(4, 4, day: 180, "EUR", [R.line("garden", 1, 100)])]),
            customer(5, since: 499, [R.order(6, 5, day: 500, "EUR", [R.line("books", 1, 100)])]),
        ]
        #expect(TrainingSnapshot.defaultCutoff(histories: histories, horizon: R.horizon) == R.day(410))
        let sizes = TrainingSnapshot.classSizes(
            histories: histories,
            target: .nextCategory,
            cutoff: R.day(410),
            horizon: R.horizon
        )
        #expect(sizes == ["none": 4])
        #expect(
            TrainingSnapshot.defaultCutoff(histories: histories, target: .nextCategory, horizon: R.horizon)
                == R.day(100)
        )
        #expect(
            TrainingSnapshot.workingCutoff(
                histories: histories,
                target: .nextCategory,
                horizon: R.horizon,
                before: R.day(410)
            )
                == R.day(100)
        )
        // Nothing older works: the one class stays, and nothing is suggested.
        #expect(
            TrainingSnapshot.workingCutoff(
                histories: histories,
                target: .nextCategory,
                horizon: R.horizon,
                before: R.day(60)
            ) == nil
        )
    }

    @Test("scoring lays out every customer's features as of now with the stored schema")
    func scoring() {
        let training = TrainingSnapshot.build(histories: R.past, target: .churn, cutoff: R.cutoff, horizon: R.horizon)
        let scoring = ScoringSnapshot.build(histories: R.withFuture, schema: training.schema, asOf: R.day(500))
        #expect(scoring.customerIDs == [1, 2, 3])
        #expect(scoring.featureNames == training.featureNames)
        let recency = scoring.featureNames.firstIndex(of: "recency_days")!
        #expect(scoring.rows.map { $0[recency] } == [80, 5, 40])  // last purchases on days 420, 495, 460
        let other = scoring.featureNames.firstIndex(of: "category_share.(other)")!
        #expect(scoring.rows[1][other] == 500.0 / 7500)  // Bo's toys are outside the learned vocabulary
    }

    @Test("targets parse from and print to their text form")
    func targetText() throws {
        for text in ["next-category", "churn", "attribute:industry", "tag:vip"] {
            #expect(try AnalysisTarget(parsing: text).text == text)
        }
        #expect(try AnalysisTarget(parsing: "tag:VIP") == .tag("vip"))
        for bad in ["", "next_category", "attribute:", "attribute:9lives", "tag:", "segment:x"] {
            let error = #expect(throws: CRMError.self) { try AnalysisTarget(parsing: bad) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.violations.map(\.field) == ["target"])
        }
        let encoded = try JSONEncoder().encode([AnalysisTarget.attribute("industry"), .churn])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["attribute:industry","churn"]"#)
        #expect(try JSONDecoder().decode([AnalysisTarget].self, from: encoded) == [.attribute("industry"), .churn])
    }

    @Test("a schema survives a JSON round trip")
    func schemaCodable() throws {
        let schema = FeatureSchema.learn(from: R.past, asOf: R.cutoff)
        let decoded = try JSONDecoder().decode(FeatureSchema.self, from: JSONEncoder().encode(schema))
        #expect(decoded == schema)
    }
}

import CRMProto
import Testing

@testable import crmctl

@Suite("SplitMix64")
struct SplitMix64Tests {
    @Test("the reference sequence for seed 0")
    func referenceValues() {
        // Published first outputs of SplitMix64 seeded with 0.
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(rng.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("draws stay in range and streams differ")
    func ranges() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<10_000 {
            #expect((3...9).contains(rng.int(3...9)))
            let u = rng.unit()
            #expect(u >= 0 && u < 1)
        }
        var a = SplitMix64(seed: 1, stream: 1)
        var b = SplitMix64(seed: 1, stream: 2)
        #expect(a.next() != b.next())
        var weighted = SplitMix64(seed: 3)
        var counts = [0, 0, 0]
        for _ in 0..<30_000 { counts[weighted.weightedIndex([1, 0, 2])] += 1 }
        #expect(counts[1] == 0)
        #expect(counts[2] > counts[0] * 3 / 2)
    }
}

@Suite("DemoGenerator")
struct DemoGeneratorTests {
    static let config = DemoConfig(customers: 400, seed: 42)
    static let data = DemoGenerator(config: config).generate()

    var data: DemoDataSet { Self.data }
    var startSeconds: Int64 { Self.config.start.daysSinceEpoch * 86_400 }
    var untilSeconds: Int64 { Self.config.until.daysSinceEpoch * 86_400 }

    @Test("the same seed gives the same data; another seed other data")
    func determinism() {
        let small = DemoConfig(customers: 60, seed: 7)
        let first = DemoGenerator(config: small).generate()
        let second = DemoGenerator(config: small).generate()
        #expect(first == second)
        #expect(CustomerCSV.csv(for: first.customers) == CustomerCSV.csv(for: second.customers))
        let other = DemoGenerator(config: DemoConfig(customers: 60, seed: 8)).generate()
        #expect(other.customers != first.customers)
        #expect(other.orders != first.orders)
    }

    @Test("more customers leave the first ones as they were")
    func prefixStable() {
        let fewer = DemoGenerator(config: DemoConfig(customers: 30, seed: 42)).generate()
        #expect(Array(data.customers.prefix(30)) == fewer.customers)
    }

    @Test("external ids are formatted, unique, and every reference resolves")
    func references() {
        #expect(data.customers.first?.externalID == "C000001")
        #expect(data.orders.first?.externalID == "O0000001")
        #expect(data.payments.first?.externalID == "P0000001")
        #expect(data.interactions.first?.externalID == "I0000001")
        let customers = Set(data.customers.map(\.externalID))
        let orders = Dictionary(uniqueKeysWithValues: data.orders.map { ($0.externalID, $0) })
        #expect(customers.count == data.customers.count)
        #expect(Set(data.payments.map(\.externalID)).count == data.payments.count)
        #expect(Set(data.interactions.map(\.externalID)).count == data.interactions.count)
        #expect(data.orders.allSatisfy { customers.contains($0.customerExternalID) })
        #expect(data.interactions.allSatisfy { customers.contains($0.customerExternalID) })
        #expect(data.payments.allSatisfy { orders[$0.orderExternalID] != nil })
        #expect(Set(data.customers.map(\.email)).count == data.customers.count)
    }

    @Test("everything happens inside the window; payments never exceed their order")
    func window() {
        #expect(data.orders.allSatisfy { $0.orderTime.seconds >= startSeconds && $0.orderTime.seconds < untilSeconds })
        #expect(data.payments.allSatisfy { $0.paidTime.seconds < untilSeconds })
        #expect(
            data.interactions.allSatisfy { $0.occurTime.seconds >= startSeconds && $0.occurTime.seconds < untilSeconds }
        )
        var paid: [String: Int64] = [:]
        for payment in data.payments { paid[payment.orderExternalID, default: 0] += payment.amountMinor }
        for order in data.orders {
            let total = order.lineItems.reduce(Int64(0)) { $0 + $1.quantity * $1.unitPriceMinor }
            #expect((paid[order.externalID] ?? 0) <= total)
            #expect(
                !order.lineItems.isEmpty && order.lineItems.allSatisfy { $0.quantity >= 1 && $0.unitPriceMinor > 0 }
            )
        }
        #expect(Double(paid.count) / Double(data.orders.count) > 0.75)
    }

    @Test("every customer has orders, except leads, prospects and those who churned before the window")
    func everyCustomerBuys() {
        var orderCount: [String: Int] = [:]
        for order in data.orders { orderCount[order.customerExternalID, default: 0] += 1 }
        var exempt = 0
        for customer in data.customers {
            let count = orderCount[customer.externalID] ?? 0
            switch customer.lifecycleStage {
            case .lead, .prospect:
                #expect(count == 0, "\(customer.externalID) is a \(customer.lifecycleStage.label) but has orders")
                #expect(!customer.hasCustomerSince)
                exempt += 1
            case .customer:
                #expect(count > 0, "\(customer.externalID) is a customer without orders")
                #expect(customer.hasCustomerSince)
            case .churned:
                if count == 0 {
                    #expect(
                        customer.customerSince.seconds < startSeconds,
                        "\(customer.externalID) churned in the window without buying"
                    )
                    exempt += 1
                }
            default:
                Issue.record("\(customer.externalID) has no lifecycle stage")
            }
        }
        #expect(exempt < data.customers.count / 4)
        #expect(data.customers.filter { $0.lifecycleStage == .customer }.count > data.customers.count / 2)
    }

    @Test("churned customers stop buying well before the end")
    func churnersStop() {
        var lastOrder: [String: Int64] = [:]
        for order in data.orders {
            lastOrder[order.customerExternalID] = max(lastOrder[order.customerExternalID] ?? 0, order.orderTime.seconds)
        }
        let churned = data.customers.filter { $0.lifecycleStage == .churned }
        #expect(churned.count > 10)
        for customer in churned {
            if let last = lastOrder[customer.externalID] {
                #expect(last < untilSeconds - 90 * 86_400)
            }
        }
        let active = data.customers.filter { $0.lifecycleStage == .customer }.compactMap { lastOrder[$0.externalID] }
        let recent = active.filter { $0 >= untilSeconds - 180 * 86_400 }.count
        #expect(Double(recent) / Double(active.count) > 0.6)
    }

    /// The share of line items of `category` among customers of `industry`.
    func share(of category: String, in industry: String) -> Double {
        let members = Set(data.customers.filter { $0.attributes["industry"] == industry }.map(\.externalID))
        let items = data.orders.filter { members.contains($0.customerExternalID) }.flatMap(\.lineItems)
        return Double(items.filter { $0.category == category }.count) / Double(max(1, items.count))
    }

    @Test("what customers buy depends on their industry")
    func categoriesByIndustry() {
        #expect(share(of: "hardware", in: "manufacturing") > 2 * share(of: "hardware", in: "software"))
        #expect(share(of: "cloud", in: "software") > 2 * share(of: "cloud", in: "manufacturing"))
        #expect(share(of: "security", in: "finance") > 2 * share(of: "security", in: "hospitality"))
        #expect(share(of: "office-supplies", in: "hospitality") > 2 * share(of: "office-supplies", in: "software"))
        let categories = Set(data.orders.flatMap(\.lineItems).map(\.category))
        #expect(categories == Set(ProductCategory.allCases.map(\.id)))
    }

    @Test("what comes next follows what came before: hardware buyers then buy support")
    func sequences() {
        var byCustomer: [String: [Crm_V1_Order]] = [:]
        for order in data.orders { byCustomer[order.customerExternalID, default: []].append(order) }
        var afterHardware = 0
        var supportAfterHardware = 0
        var afterOffice = 0
        var supportAfterOffice = 0
        for orders in byCustomer.values {
            let sorted = orders.sorted { $0.orderTime.seconds < $1.orderTime.seconds }
            for (previous, next) in zip(sorted, sorted.dropFirst()) {
                let nextHasSupport = next.lineItems.contains { $0.category == "support" }
                if previous.lineItems.first?.category == "hardware" {
                    afterHardware += 1
                    if nextHasSupport { supportAfterHardware += 1 }
                }
                if previous.lineItems.first?.category == "office-supplies" {
                    afterOffice += 1
                    if nextHasSupport { supportAfterOffice += 1 }
                }
            }
        }
        #expect(afterHardware > 50 && afterOffice > 50)
        #expect(
            Double(supportAfterHardware) / Double(afterHardware) > 1.5 * Double(supportAfterOffice)
                / Double(afterOffice)
        )
    }

    @Test("interactions before a purchase are about what is bought")
    func presaleTopics() {
        var quotes: [String: [Crm_V1_Interaction]] = [:]
        for interaction in data.interactions where interaction.outcome == "quote-sent" {
            quotes[interaction.customerExternalID, default: []].append(interaction)
        }
        var matched = 0
        var total = 0
        for quote in quotes.values.flatMap({ $0 }) {
            let next = data.orders
                .filter {
                    $0.customerExternalID == quote.customerExternalID && $0.orderTime.seconds > quote.occurTime.seconds
                }
                .min { $0.orderTime.seconds < $1.orderTime.seconds }
            guard let next else { continue }
            total += 1
            if next.lineItems.contains(where: { $0.category == quote.topic }) { matched += 1 }
        }
        #expect(total > 100)
        #expect(Double(matched) / Double(total) > 0.6)
    }

    @Test("seasons: more hardware in November and December than in July and August")
    func seasons() {
        var counts = Array(repeating: 0, count: 13)
        for order in data.orders where order.lineItems.first?.category == "hardware" {
            counts[Int(CivilDate(daysSinceEpoch: order.orderTime.seconds / 86_400).month)] += 1
        }
        #expect(counts[11] + counts[12] > 2 * (counts[7] + counts[8]))
    }

    @Test("the data set imports as it is: its CSV files read back without errors")
    func csvRoundTrip() throws {
        let small = DemoGenerator(config: DemoConfig(customers: 40, seed: 3, currency: "JPY")).generate()
        let customers = CustomerCSV.decode(try CSVTable(text: CustomerCSV.csv(for: small.customers)))
        let orders = OrderCSV.decode(try CSVTable(text: OrderCSV.csv(for: small.orders)))
        let payments = PaymentCSV.decode(try CSVTable(text: PaymentCSV.csv(for: small.payments)))
        let interactions = InteractionCSV.decode(try CSVTable(text: InteractionCSV.csv(for: small.interactions)))
        #expect(
            customers.errors.isEmpty && orders.errors.isEmpty && payments.errors.isEmpty && interactions.errors.isEmpty
        )
        #expect(customers.records == small.customers)
        #expect(orders.records == small.orders)
        #expect(payments.records == small.payments)
        #expect(interactions.records == small.interactions)
        #expect(small.orders.allSatisfy { $0.currencyCode == "JPY" })
    }
}

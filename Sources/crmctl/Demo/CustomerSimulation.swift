import CRMProto
import SwiftProtobuf

/// The simulation of one customer: its profile, then day by day its orders, then the
/// interactions around them.
struct CustomerSimulation {
    let config: DemoConfig
    let index: Int
    let generator: DemoGenerator
    var rng: SplitMix64

    let startDay: Int64
    let endDay: Int64

    var country = DemoCatalog.countries[0]
    var industry = DemoCatalog.industries[0]
    var segment = Segment.smb
    var freelancer = false
    var firstName = ""
    var lastName = ""
    var favorite = ProductCategory.software
    var fate = DemoGenerator.Fate.active
    var acquisitionDay: Int64 = 0
    var churnDay: Int64? = nil
    var ordersPerYear = 4.0

    private var orders: [DemoGenerator.PlannedOrder] = []
    private var interactions: [DemoGenerator.PlannedInteraction] = []
    /// Products bought so far, per category.
    private var bought: [[Int]] = Array(repeating: [], count: ProductCategory.allCases.count)
    private var lastCategory: ProductCategory? = nil
    /// Renewals due: day, product, quantity.
    private var renewals: [(day: Int64, product: Int, quantity: Int64)] = []
    /// Renewals that fell after the churn day.
    private var lapsedRenewals: [(day: Int64, product: Int)] = []
    private var sequence = 0

    init(config: DemoConfig, index: Int) {
        self.config = config
        self.index = index
        generator = DemoGenerator(config: config)
        rng = SplitMix64(seed: config.seed, stream: UInt64(index))
        startDay = config.start.daysSinceEpoch
        endDay = config.until.daysSinceEpoch
    }

    mutating func run(emails: inout Set<String>) -> DemoGenerator.CustomerPlan {
        var customer = makeProfile(emails: &emails)
        decideFate()
        switch fate {
        case .active, .churnsInWindow:
            simulateOrders()
            customer.customerSince = Google_Protobuf_Timestamp(seconds: acquisitionDay * 86_400, nanos: 0)
            customer.lifecycleStage = fate == .active ? .customer : .churned
        case .churnedBeforeStart:
            customer.customerSince = Google_Protobuf_Timestamp(seconds: acquisitionDay * 86_400, nanos: 0)
            customer.lifecycleStage = .churned
        case .lead:
            customer.lifecycleStage = .lead
        case .prospect:
            customer.lifecycleStage = .prospect
        }
        planInteractions()
        let startSeconds = startDay * 86_400
        let endSeconds = endDay * 86_400
        var plan = DemoGenerator.CustomerPlan(customer: customer, fate: fate)
        plan.orders = orders.filter { $0.seconds >= startSeconds && $0.seconds < endSeconds }
        plan.interactions = interactions.filter { $0.seconds >= startSeconds && $0.seconds < endSeconds }
        return plan
    }

    // MARK: Profile

    private mutating func makeProfile(emails: inout Set<String>) -> Crm_V1_Customer {
        country = DemoCatalog.countries[rng.weightedIndex(DemoCatalog.countries.map(\.weight))]
        let city = rng.pick(country.cities)
        industry = DemoCatalog.industries[rng.weightedIndex(DemoCatalog.industries.map(\.weight))]
        segment = Segment.allCases[rng.weightedIndex(industry.segments)]
        freelancer = segment == .smb && rng.chance(0.12)
        firstName = rng.pick(country.firstNames)
        lastName = rng.pick(country.lastNames)
        favorite = ProductCategory(rawValue: rng.weightedIndex(industry.affinity))!

        var customer = Crm_V1_Customer()
        customer.externalID = "C" + DemoText.padded(index + 1, width: 6)
        customer.displayName = "\(firstName) \(lastName)"
        let domain: String
        if freelancer {
            domain = rng.pick(country.webmail)
        } else {
            let core =
                rng.chance(0.5)
                ? "\(lastName) \(rng.pick(industry.nouns))"
                : "\(rng.pick(DemoCatalog.wordPrefixes)) \(rng.pick(industry.nouns))"
            customer.company = "\(core) \(rng.pick(country.legalForms))"
            domain = DemoText.slug(core) + "." + country.tld
        }
        let local = DemoText.slug(firstName) + "." + DemoText.slug(lastName)
        var email = "\(local)@\(domain)"
        var suffix = 2
        while !emails.insert(email).inserted {
            email = "\(local)\(suffix)@\(domain)"
            suffix += 1
        }
        customer.email = email
        customer.phone = phoneNumber(city: city)

        var address = Crm_V1_PostalAddress()
        let number = rng.int(1...180)
        let street = rng.pick(country.streets)
        address.street = country.numberFirst ? "\(number) \(street)" : "\(street) \(number)"
        address.city = city.name
        address.region = city.region
        address.postalCode = rng.pick(city.postalCodes)
        address.country = country.code
        customer.address = address

        var tags: [String] = []
        if rng.chance(0.45) { tags.append("newsletter") }
        if rng.chance(0.7) { tags.append("gdpr-consent") }
        if rng.chance(0.8) { tags.append(rng.weighted(DemoCatalog.tagsBySource)) }
        if segment == .enterprise, rng.chance(0.6) { tags.append("key-account") }
        if segment == .midMarket, rng.chance(0.1) { tags.append("key-account") }
        if rng.chance(0.04) { tags.append("vip") }
        if rng.chance(0.05) { tags.append("partner") }
        if industry.id == "retail", rng.chance(0.15) { tags.append("reseller") }
        if industry.id == "public-sector", rng.chance(0.5) { tags.append("public-tender") }
        customer.tags = Array(Set(tags)).sorted()

        let employees: String
        switch segment {
        case .smb: employees = freelancer ? "1" : rng.pick(["2-10", "11-50"])
        case .midMarket: employees = rng.pick(["51-200", "201-1000"])
        case .enterprise: employees = rng.pick(["1001-5000", "5000+"])
        }
        customer.attributes = [
            "industry": industry.id, "segment": segment.rawValue, "region": country.salesRegion,
            "employees": employees,
        ]
        return customer
    }

    private mutating func phoneNumber(city: DemoCity) -> String {
        var digits = ""
        if country.callingCode == "1" {
            // 555-0100 to 555-0199 are reserved for fiction in North America.
            digits = "55501" + DemoText.padded(rng.int(0...99), width: 2)
        } else {
            digits = String(rng.int(2...9))
            for _ in 1..<country.subscriberDigits {
                digits += String(rng.int(0...9))
            }
        }
        return "+" + country.callingCode + city.area + digits
    }

    // MARK: Fate and orders

    private mutating func decideFate() {
        let roll = rng.unit()
        fate =
            roll < 0.05
            ? .lead
            : roll < 0.10 ? .prospect : roll < 0.14 ? .churnedBeforeStart : roll < 0.25 ? .churnsInWindow : .active
        let span = endDay - startDay
        switch fate {
        case .active, .churnsInWindow:
            if rng.chance(0.6) {
                acquisitionDay = startDay - Int64(rng.int(30...2200))
            } else {
                let latest = fate == .churnsInWindow ? endDay - 240 : endDay - 45
                let spread = Double(max(1, latest - startDay))
                let u = rng.chance(0.4) ? max(rng.unit(), rng.unit()) : rng.unit()
                acquisitionDay = weekday(startDay + Int64(spread * u))
            }
            if fate == .churnsInWindow {
                let earliest = max(acquisitionDay + 150, startDay + 120)
                let latest = max(earliest, endDay - 90)
                churnDay = earliest + Int64(rng.int(0...Int(latest - earliest)))
            }
        case .churnedBeforeStart:
            acquisitionDay = startDay - Int64(rng.int(500...2500))
            churnDay = startDay - Int64(rng.int(10...300))
        case .lead, .prospect:
            acquisitionDay = endDay - Int64(rng.int(20...min(330, Int(span))))
        }
        switch segment {
        case .smb: ordersPerYear = freelancer ? rng.double(1.5, 3) : rng.double(2, 5)
        case .midMarket: ordersPerYear = rng.double(5, 10)
        case .enterprise: ordersPerYear = rng.double(9, 16)
        }
    }

    /// The next weekday on or after `day`.
    private func weekday(_ day: Int64) -> Int64 {
        let weekday = CivilDate(daysSinceEpoch: day).weekday
        return weekday >= 5 ? day + Int64(7 - weekday) : day
    }

    private func yearsIn(_ day: Int64) -> Double {
        Double(day - startDay) / 365.25
    }

    private mutating func simulateOrders() {
        let simulationStart = max(startDay, acquisitionDay)
        let simulationEnd = min(endDay + DemoGenerator.horizonDays, churnDay ?? .max)
        guard simulationStart < simulationEnd else { return }
        // A year of warm-up before the window, left out of the data, so that the first year
        // already has the renewals and the purchase history of existing customers.
        var day = max(startDay - DemoGenerator.warmUpDays, acquisitionDay)
        while day < simulationEnd {
            while let due = renewals.first, due.day <= day {
                renewals.removeFirst()
                placeRenewal(day: day, product: due.product, quantity: due.quantity)
            }
            let date = CivilDate(daysSinceEpoch: day)
            if day == acquisitionDay {
                placeOrder(day: day)
            } else {
                let weekdayFactor = date.weekday < 5 ? 1.36 : 0.1
                let decay = churnDay.map { day >= $0 - 180 ? 0.35 : 1 } ?? 1
                let p =
                    ordersPerYear / 365 * DemoCatalog.monthActivity[Int(date.month) - 1] * (1 + 0.06 * yearsIn(day))
                    * weekdayFactor * decay
                if rng.chance(p) { placeOrder(day: day) }
            }
            day += 1
        }
        lapsedRenewals = renewals.filter { churnDay != nil && $0.day >= simulationEnd }.map { ($0.day, $0.product) }

        // Every customer that buys in the window has at least one order in it.
        let endSeconds = endDay * 86_400
        let lastPossible = min(endDay, churnDay ?? endDay) - 1
        if !orders.contains(where: { $0.seconds >= simulationStart * 86_400 && $0.seconds < endSeconds }),
            simulationStart <= lastPossible
        {
            var day = weekday(simulationStart + Int64(rng.int(0...Int(lastPossible - simulationStart))))
            if day > lastPossible { day = simulationStart }
            placeOrder(day: day)
        }
    }

    /// The category of an organic purchase: mostly what follows the last purchase and what the
    /// industry buys, with the customer's own taste, the season and the trend.
    private mutating func chooseCategory(day: Int64) -> ProductCategory {
        let month = Int(CivilDate(daysSinceEpoch: day).month) - 1
        let years = yearsIn(day)
        let affinityTotal = industry.affinity.reduce(0, +)
        var weights: [Double] = []
        for category in ProductCategory.allCases {
            let c = category.rawValue
            let trend = max(0.2, 1 + DemoCatalog.categoryTrends[c] * years)
            let affinity = industry.affinity[c] / affinityTotal
            var sequel = affinity
            if let last = lastCategory {
                // What follows the last purchase, as far as this industry buys it at all.
                let row = DemoCatalog.transitions[last.rawValue]
                let total = ProductCategory.allCases.reduce(0.0) {
                    $0 + row[$1.rawValue] * industry.affinity[$1.rawValue]
                }
                sequel = row[c] * industry.affinity[c] / total
            }
            let base = 0.40 * affinity + 0.45 * sequel + (category == favorite ? 0.15 : 0)
            weights.append(base * DemoCatalog.categorySeasons[c][month] * trend)
        }
        return ProductCategory(rawValue: rng.weightedIndex(weights))!
    }

    /// A product of `category`: often one bought before, otherwise by popularity.
    private mutating func chooseProduct(_ category: ProductCategory) -> Int {
        if !bought[category.rawValue].isEmpty, rng.chance(0.6) {
            return rng.pick(bought[category.rawValue])
        }
        let candidates = DemoCatalog.products.indices.filter { DemoCatalog.products[$0].category == category }
        return candidates[rng.weightedIndex(candidates.map { DemoCatalog.products[$0].popularity })]
    }

    private mutating func quantity(_ product: DemoProduct) -> Int64 {
        var units = Double(rng.int(product.quantity))
        if product.scales {
            switch segment {
            case .smb: break
            case .midMarket: units *= rng.double(2, 3.5)
            case .enterprise: units *= rng.double(5, 9)
            }
        }
        return max(1, Int64(units.rounded()))
    }

    private func lineItem(_ productIndex: Int, quantity: Int64, day: Int64) -> Crm_V1_LineItem {
        let product = DemoCatalog.products[productIndex]
        var item = Crm_V1_LineItem()
        item.sku = product.sku
        item.productName = product.name
        item.category = product.category.id
        item.quantity = quantity
        item.unitPriceMinor = generator.unitPriceMinor(product, day: day)
        return item
    }

    private mutating func placeOrder(day: Int64) {
        let category = chooseCategory(day: day)
        var products = [chooseProduct(category)]
        var quantities = [quantity(DemoCatalog.products[products[0]])]
        if rng.chance(0.35) {
            let sequel = ProductCategory(rawValue: rng.weightedIndex(DemoCatalog.transitions[category.rawValue]))!
            let extra = chooseProduct(sequel)
            if !products.contains(extra) {
                products.append(extra)
                quantities.append(quantity(DemoCatalog.products[extra]))
            }
        }
        if rng.chance(0.12) {
            let extra = chooseProduct(favorite)
            if !products.contains(extra) {
                products.append(extra)
                quantities.append(quantity(DemoCatalog.products[extra]))
            }
        }
        let minute = 8 * 60 + rng.int(0...(10 * 60 - 1))
        let items = zip(products, quantities).map { lineItem($0, quantity: $1, day: day) }
        for (product, units) in zip(products, quantities) {
            let p = DemoCatalog.products[product]
            if !bought[p.category.rawValue].contains(product) { bought[p.category.rawValue].append(product) }
            if p.subscription { scheduleRenewal(day: day, product: product, quantity: units) }
        }
        lastCategory = category
        record(day: day, minute: minute, items: items, presale: true)
    }

    private mutating func placeRenewal(day: Int64, product: Int, quantity: Int64) {
        let units = max(1, Int64((Double(quantity) * rng.double(0.9, 1.25)).rounded()))
        let minute = 8 * 60 + rng.int(0...(10 * 60 - 1))
        scheduleRenewal(day: day, product: product, quantity: units)
        record(day: day, minute: minute, items: [lineItem(product, quantity: units, day: day)], presale: false)
        if rng.chance(0.6) {
            let reminder = day - Int64(rng.int(21...35))
            addInteraction(
                day: reminder,
                kind: .email,
                direction: .outbound,
                subject: "Renewal reminder: \(DemoCatalog.products[product].name)",
                body:
                    "Your \(DemoCatalog.products[product].name) renews on \(CivilDate(daysSinceEpoch: day).text). Reply to adjust the quantity (currently \(quantity)).",
                outcome: "renewal-confirmed",
                topic: DemoCatalog.products[product].category.id
            )
        }
    }

    private mutating func scheduleRenewal(day: Int64, product: Int, quantity: Int64) {
        let decaying = churnDay.map { day >= $0 - 180 } ?? false
        guard rng.chance(decaying ? 0.3 : 0.8) else { return }
        let due = day + 365 + Int64(rng.int(-10...10))
        let position = renewals.firstIndex { $0.day > due } ?? renewals.count
        renewals.insert((due, product, quantity), at: position)
    }

    private mutating func record(day: Int64, minute: Int, items: [Crm_V1_LineItem], presale: Bool) {
        let seconds = day * 86_400 + Int64(minute) * 60
        let total = items.reduce(Int64(0)) { $0 + $1.quantity * $1.unitPriceMinor }
        let (status, payments) = settle(day: day, seconds: seconds, total: total)
        orders.append(
            DemoGenerator.PlannedOrder(
                customer: index,
                seconds: seconds,
                sequence: orders.count,
                items: items,
                status: status,
                payments: payments
            )
        )
        guard presale, let first = items.first else { return }
        planPresale(day: day, item: first)
        if ["hardware", "software", "cloud"].contains(first.category), rng.chance(0.25) {
            let inDecay = churnDay.map { day >= $0 - 180 } ?? false
            let outcome = inDecay && rng.chance(0.5) ? "complaint" : rng.chance(0.85) ? "resolved" : "escalated"
            addInteraction(
                day: day + Int64(rng.int(5...90)),
                kind: .call,
                direction: .inbound,
                subject: "Support: \(first.productName)",
                body: outcome == "complaint"
                    ? "Customer unhappy: \(first.productName) still not working as promised."
                    : "Helped with the setup of \(first.productName).",
                outcome: outcome,
                topic: "support"
            )
        }
    }

    /// Status from the order's age at ``DemoConfig/until``, and the payments made by then.
    private mutating func settle(
        day: Int64,
        seconds: Int64,
        total: Int64
    ) -> (Crm_V1_OrderStatus, [DemoGenerator.PlannedPayment]) {
        let age = endDay - day
        let status: Crm_V1_OrderStatus
        if age > 45 {
            status = rng.weighted([(.completed, 93), (.cancelled, 4), (.refunded, 3)])
        } else if age >= 15 {
            status = rng.weighted([(.completed, 70), (.shipped, 25), (.cancelled, 5)])
        } else {
            status = rng.weighted([(.pending, 30), (.confirmed, 40), (.shipped, 30)])
        }
        let method: String
        let delay: Int
        switch segment {
        case .smb:
            method = rng.weighted([("card", 45), ("transfer", 35), ("paypal", 20)])
        case .midMarket:
            method = rng.weighted([("transfer", 60), ("card", 25), ("direct-debit", 15)])
        case .enterprise:
            method = rng.weighted([("transfer", 85), ("direct-debit", 15)])
        }
        switch method {
        case "card", "paypal": delay = 0
        case "direct-debit": delay = rng.int(3...10)
        default: delay = segment == .enterprise ? rng.int(15...60) : rng.int(5...40)
        }
        let inDecay = churnDay.map { day >= $0 - 180 } ?? false
        let pays: Bool
        switch status {
        case .completed: pays = rng.chance(inDecay ? 0.75 : 0.96)
        case .refunded: pays = true
        case .shipped: pays = rng.chance(0.5)
        case .confirmed: pays = method == "card" || method == "paypal"
        default: pays = false
        }
        guard pays, total > 0 else { return (status, []) }
        let paid = seconds + Int64(delay) * 86_400 + Int64(rng.int(0...(6 * 3600)))
        guard paid < endDay * 86_400 else { return (status, []) }
        let large = total >= 20_000 * minorPerMajor && method == "transfer"
        if large {
            let first = total / 2
            var result = [DemoGenerator.PlannedPayment(seconds: paid, amountMinor: first, method: method)]
            let second = paid + 30 * 86_400
            if second < endDay * 86_400 {
                result.append(DemoGenerator.PlannedPayment(seconds: second, amountMinor: total - first, method: method))
            }
            return (status, result)
        }
        return (status, [DemoGenerator.PlannedPayment(seconds: paid, amountMinor: total, method: method)])
    }

    /// Minor units per major unit of the currency, scaled to EUR value.
    private var minorPerMajor: Int64 {
        var scale: Int64 = 1
        for _ in 0..<Currency.minorUnitDigits(config.currency) { scale *= 10 }
        return Int64(Double(scale) * (DemoCatalog.eurRates[config.currency] ?? 1))
    }

    // MARK: Interactions

    /// Contacts in the weeks before a purchase, about what is bought.
    private mutating func planPresale(day: Int64, item: Crm_V1_LineItem) {
        guard rng.chance(segment == .smb ? 0.65 : 0.8) else { return }
        let count = 1 + rng.weightedIndex([0.5, 0.35, 0.15])
        var offsets = (0..<count).map { _ in rng.int(3...40) }
        offsets.sort(by: >)
        let month = DemoText.monthNames[Int(CivilDate(daysSinceEpoch: day).month) - 1]
        let phrase = ProductCategory.allCases.first { $0.id == item.category }?.phrase ?? item.category
        for (position, offset) in offsets.enumerated() {
            let kind: Crm_V1_InteractionKind
            switch segment {
            case .enterprise: kind = rng.weighted([(.meeting, 30), (.visit, 25), (.call, 25), (.email, 20)])
            case .midMarket: kind = rng.weighted([(.call, 35), (.email, 30), (.meeting, 25), (.visit, 10)])
            case .smb: kind = rng.weighted([(.call, 40), (.email, 45), (.meeting, 10), (.visit, 5)])
            }
            let last = position == offsets.count - 1
            let subject: String
            switch kind {
            case .email:
                subject = rng.pick([
                    "Quote request: \(item.productName)", "Question about \(item.productName)",
                    "Offer for \(item.quantity) × \(item.productName)",
                ])
            case .meeting: subject = rng.pick(["Meeting: \(phrase) requirements", "Product demo: \(item.productName)"])
            case .visit: subject = "On-site visit: \(phrase) planning"
            default:
                subject = rng.pick([
                    "Call about \(item.productName)", "Needs assessment: \(phrase)",
                    "Follow-up on \(item.productName) quote",
                ])
            }
            addInteraction(
                day: day - Int64(offset),
                kind: kind,
                direction: rng.chance(0.55) ? .outbound : .inbound,
                subject: subject,
                body:
                    "Discussed \(phrase) needs: about \(item.quantity) × \(item.productName). Budget planned for \(month).",
                outcome: last ? "quote-sent" : rng.pick(["interested", "follow-up"]),
                topic: item.category
            )
        }
    }

    private mutating func planInteractions() {
        let simulationStart = max(startDay, acquisitionDay)
        switch fate {
        case .active, .churnsInWindow:
            let end = min(endDay, churnDay ?? endDay)
            let reviewEvery: ClosedRange<Int>? =
                segment == .enterprise ? 80...100 : segment == .midMarket ? 150...210 : nil
            if let reviewEvery {
                var day = simulationStart + Int64(rng.int(reviewEvery))
                while day < end {
                    addInteraction(
                        day: day,
                        kind: .meeting,
                        direction: .outbound,
                        subject: "Quarterly account review",
                        body: "Reviewed open orders, renewals and plans for the coming quarter.",
                        outcome: "follow-up",
                        topic: "account-review"
                    )
                    day += Int64(rng.int(reviewEvery))
                }
            }
            if fate == .churnsInWindow, let churnDay {
                let topic = lastCategory?.id ?? favorite.id
                for _ in 0..<rng.int(1...3) {
                    let reason = rng.pick([
                        "Complaint: delivery delays", "Unhappy with support response times", "Invoice dispute",
                        "Price increase concerns", "Competitor offer received",
                    ])
                    addInteraction(
                        day: churnDay - Int64(rng.int(10...150)),
                        kind: rng.chance(0.5) ? .call : .email,
                        direction: .inbound,
                        subject: reason,
                        body: "\(reason). Customer considers alternatives.",
                        outcome: "complaint",
                        topic: topic
                    )
                }
                for lapse in lapsedRenewals where lapse.day - 28 < endDay {
                    addInteraction(
                        day: lapse.day - 28,
                        kind: .email,
                        direction: .outbound,
                        subject: "Renewal reminder: \(DemoCatalog.products[lapse.product].name)",
                        body: "The renewal is due on \(CivilDate(daysSinceEpoch: lapse.day).text).",
                        outcome: rng.chance(0.5) ? "no-answer" : "not-interested",
                        topic: DemoCatalog.products[lapse.product].category.id
                    )
                }
                addInteraction(
                    day: churnDay + Int64(rng.int(20...60)),
                    kind: .call,
                    direction: .outbound,
                    subject: "Win-back call",
                    body: "Offered a discount to come back.",
                    outcome: rng.chance(0.5) ? "no-answer" : "not-interested",
                    topic: topic
                )
            }
        case .churnedBeforeStart:
            if rng.chance(0.5) {
                addInteraction(
                    day: startDay + Int64(rng.int(0...300)),
                    kind: .email,
                    direction: .outbound,
                    subject: "We miss you",
                    body: "A win-back offer for former customers.",
                    outcome: "no-answer",
                    topic: favorite.id
                )
            }
        case .lead, .prospect:
            var day = acquisitionDay
            let contacts = fate == .lead ? rng.int(1...3) : rng.int(2...4)
            for position in 0..<contacts {
                let demo = fate == .prospect && position == contacts - 1
                addInteraction(
                    day: day,
                    kind: demo ? .meeting : (rng.chance(0.6) ? .call : .email),
                    direction: position == 0 && rng.chance(0.4) ? .inbound : .outbound,
                    subject: demo ? "Product demo: \(favorite.phrase)" : "Introduction: \(favorite.phrase) offer",
                    body: "First talks about \(favorite.phrase) for a \(industry.id) business.",
                    outcome: demo
                        ? "interested" : rng.weighted([("no-answer", 40), ("interested", 30), ("not-interested", 30)]),
                    topic: favorite.id
                )
                day += Int64(rng.int(10...60))
            }
        }
    }

    private mutating func addInteraction(
        day: Int64,
        kind: Crm_V1_InteractionKind,
        direction: Crm_V1_Direction,
        subject: String,
        body: String,
        outcome: String,
        topic: String
    ) {
        let workday = weekday(day)
        let minute = 8 * 60 + rng.int(0...(9 * 60))
        var interaction = Crm_V1_Interaction()
        interaction.kind = kind
        interaction.direction = direction
        interaction.occurTime = Google_Protobuf_Timestamp(seconds: workday * 86_400 + Int64(minute) * 60, nanos: 0)
        interaction.subject = subject
        interaction.body = body
        interaction.outcome = outcome
        interaction.topic = topic
        switch kind {
        case .call: interaction.durationSeconds = Int32(rng.int(2...30) * 60)
        case .meeting: interaction.durationSeconds = Int32(rng.int(30...90) * 60)
        case .visit: interaction.durationSeconds = Int32(rng.int(60...180) * 60)
        default: interaction.durationSeconds = 0
        }
        interactions.append(
            DemoGenerator.PlannedInteraction(
                customer: index,
                seconds: interaction.occurTime.seconds,
                sequence: sequence,
                interaction: interaction
            )
        )
        sequence += 1
        if kind == .meeting || kind == .visit, rng.chance(0.3) {
            var note = Crm_V1_Interaction()
            note.kind = .note
            note.direction = .internal
            note.occurTime = Google_Protobuf_Timestamp(
                seconds: interaction.occurTime.seconds + Int64(interaction.durationSeconds) + 600,
                nanos: 0
            )
            note.subject = "Notes: \(subject)"
            note.body = body
            note.outcome = outcome
            note.topic = topic
            interactions.append(
                DemoGenerator.PlannedInteraction(
                    customer: index,
                    seconds: note.occurTime.seconds,
                    sequence: sequence,
                    interaction: note
                )
            )
            sequence += 1
        }
    }
}

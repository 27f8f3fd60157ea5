import CRMCore
import CRMProto
import Foundation
import SwiftProtobuf

/// Puts a model's evaluation and its stored scores together into the needs report.
struct NeedsReportBuilder {
    /// How customers are grouped.
    enum Grouping {
        case lifecycle, predicted
        case attribute(String)
    }

    let model: Crm_V1_Model
    let scoring: ModelScoring
    let grouping: Grouping
    let customerLimit: Int
    let includeHTML: Bool
    /// List customers predicted `none` and churned ones too.
    let includeNone: Bool

    static var defaultCustomerLimit: Int { 100 }

    init(request: Crm_V1_GetNeedsReportRequest, model: Crm_V1_Model, scoring: ModelScoring) throws {
        self.model = model
        self.scoring = scoring
        switch request.segmentBy {
        case "", "lifecycle": grouping = .lifecycle
        case "predicted": grouping = .predicted
        case let text where text.hasPrefix("attribute:") && text.count > "attribute:".count:
            grouping = .attribute(String(text.dropFirst("attribute:".count)))
        default:
            throw CRMError.invalid(
                "segment_by",
                "must be lifecycle, predicted or attribute:<key> (got \"\(request.segmentBy)\")"
            )
        }
        guard request.customerLimit >= 0 else {
            throw CRMError.invalid("customer_limit", "must not be negative")
        }
        customerLimit = request.customerLimit == 0 ? Self.defaultCustomerLimit : Int(request.customerLimit)
        includeHTML = request.includeHtml
        includeNone = request.includeNone
    }

    /// - Parameters:
    ///   - asOf: the time the scores' features are as of; also bounds the history read for values.
    func report(
        histories: [CustomerHistory],
        scores: [CustomerScore],
        scoredAt: Date,
        asOf: Date,
        now: Date
    ) throws -> Crm_V1_NeedsReport {
        let byID = Dictionary(histories.map { ($0.customer.id, $0) }, uniquingKeysWith: { a, _ in a })
        let classNames = scoring.preprocessing.classNames
        let worth = model.target == AnalysisTarget.nextCategory.text ? CategoryWorth(histories, asOf: asOf) : nil
        // Customers predicted `none` and churned ones are counted, but listed only when asked for.
        var listed: [NeedsReport.CustomerNeed] = []
        let needs: [NeedsReport.CustomerNeed] = scores.compactMap { score in
            guard let history = byID[score.customerID] else { return nil }
            let customer = history.customer
            let value = worth?.expectedSpend(of: score.predictedClass, by: history)
            let need = NeedsReport.CustomerNeed(
                customer: ResourceName.customer(score.customerID),
                displayName: customer.displayName,
                segment: segment(of: customer, score: score),
                predictedClass: score.predictedClass,
                confidence: score.confidence,
                probabilities: zip(classNames, score.probabilities).map {
                    NeedsReport.ClassProbability(className: $0, probability: $1)
                },
                drivers: score.drivers.map {
                    NeedsReport.Driver(feature: $0.feature, value: $0.value, weight: $0.weight)
                },
                company: customer.company,
                email: customer.email,
                phone: customer.phone,
                expectedValue: value.map { $0.amount * score.confidence },
                valueCurrency: value?.currency ?? ""
            )
            if includeNone
                || (score.predictedClass != AnalysisTarget.noneClass && customer.lifecycleStage != .churned)
            {
                listed.append(need)
            }
            return need
        }
        // The most worth acting on first, then the surest, then by name.
        let ranked = listed.sorted {
            let (a, b) = ($0.expectedValue ?? -1, $1.expectedValue ?? -1)
            if a != b { return a > b }
            return $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.customer < $1.customer
        }
        let dataEnd = histories.compactMap { history -> Date? in
            let lastOrder = history.orders.last { $0.orderTime < asOf }?.orderTime
            let lastContact = history.interactions.last { $0.occurTime < asOf }?.occurTime
            return [lastOrder, lastContact].compactMap { $0 }.max()
        }.max()
        let report = NeedsReport(
            title: "Customer needs: \(model.target) (\(model.name), \(model.algorithm))",
            generateTime: now,
            scoredTime: scoredAt,
            model: NeedsReport.TrainedModel(
                name: model.name,
                algorithm: model.algorithm,
                target: model.target,
                version: Int(model.version),
                trainTime: model.createTime.date,
                cutoff: model.hasCutoff ? model.cutoff.date : nil,
                horizon: model.hasHorizon ? TimeInterval(model.horizon.seconds) : nil
            ),
            evaluation: evaluation(),
            classDistribution: Self.counts(needs.map(\.predictedClass)),
            segments: segments(needs),
            customers: Array(ranked.prefix(customerLimit)),
            customerCount: needs.count,
            asOf: asOf,
            dataEndTime: dataEnd,
            omittedCount: needs.count - listed.count
        )
        return Crm_V1_NeedsReport(report, model: model, html: includeHTML ? report.html() : "")
    }

    private func segment(of customer: Customer, score: CustomerScore) -> String {
        switch grouping {
        case .lifecycle: customer.lifecycleStage.label.isEmpty ? "(unspecified)" : customer.lifecycleStage.label
        case .predicted: score.predictedClass
        case .attribute(let key): customer.attributes[key] ?? "(no \(key))"
        }
    }

    private func evaluation() -> NeedsReport.EvaluationSummary {
        let evaluation = model.evaluation
        return NeedsReport.EvaluationSummary(
            classNames: model.classNames,
            confusionMatrix: evaluation.confusionMatrix.map { $0.counts.map(Int.init) },
            accuracy: evaluation.accuracy,
            macroF1: evaluation.macroF1,
            baselineAccuracy: evaluation.baselineAccuracy,
            baselineClass: evaluation.baselineClass,
            featureImportances: evaluation.featureImportances.map {
                NeedsReport.FeatureImportance(feature: $0.feature, importance: $0.importance)
            },
            importanceMethod: evaluation.importanceMethod == "model" ? .model : .permutation
        )
    }

    private func segments(_ needs: [NeedsReport.CustomerNeed]) -> [NeedsReport.Segment] {
        Dictionary(grouping: needs, by: \.segment)
            .map { name, members in
                var driverCounts: [String: Int] = [:]
                for need in members {
                    for driver in need.drivers {
                        driverCounts[driver.feature, default: 0] += 1
                    }
                }
                let topDrivers = driverCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .prefix(3).map(\.key)
                return NeedsReport.Segment(
                    name: name,
                    customerCount: members.count,
                    predicted: Self.counts(members.map(\.predictedClass)),
                    meanConfidence: members.map(\.confidence).reduce(0, +) / Double(members.count),
                    topDrivers: topDrivers
                )
            }
            .sorted { $0.customerCount != $1.customerCount ? $0.customerCount > $1.customerCount : $0.name < $1.name }
    }

    /// Occurrences, most frequent first.
    static func counts(_ values: [String]) -> [NeedsReport.ClassCount] {
        Dictionary(grouping: values, by: { $0 })
            .map { NeedsReport.ClassCount(className: $0.key, count: $0.value.count) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.className < $1.className }
    }
}

extension Crm_V1_NeedsReport {
    init(_ report: NeedsReport, model: Crm_V1_Model, html: String) {
        self.init()
        self.model = model
        generateTime = .init(date: report.generateTime)
        if let scored = report.scoredTime {
            scoredTime = .init(date: scored)
        }
        classDistribution = report.classDistribution.map(Crm_V1_ClassCount.init)
        segments = report.segments.map { segment in
            var out = Crm_V1_Segment()
            out.name = segment.name
            out.customerCount = Int32(segment.customerCount)
            out.predicted = segment.predicted.map(Crm_V1_ClassCount.init)
            out.meanConfidence = segment.meanConfidence
            out.topDrivers = segment.topDrivers
            return out
        }
        customers = report.customers.map { need in
            var out = Crm_V1_CustomerNeed()
            out.customer = need.customer
            out.displayName = need.displayName
            out.segment = need.segment
            out.predictedClass = need.predictedClass
            out.confidence = need.confidence
            out.probabilities = need.probabilities.map {
                Crm_V1_ClassProbability(className: $0.className, probability: $0.probability)
            }
            out.drivers = need.drivers.map(Crm_V1_Driver.init)
            out.company = need.company
            out.email = need.email
            out.phone = need.phone
            out.expectedValue = need.expectedValue ?? 0
            out.expectedValueCurrency = need.valueCurrency
            return out
        }
        customerCount = Int32(report.customerCount)
        omittedCount = Int32(report.omittedCount)
        if let asOf = report.asOf { self.asOf = .init(date: asOf) }
        if let end = report.dataEndTime { dataEndTime = .init(date: end) }
        self.html = html
    }
}

extension Crm_V1_ClassCount {
    init(_ count: NeedsReport.ClassCount) {
        self.init()
        className = count.className
        self.count = Int32(count.count)
    }
}

/// What a customer usually spends on a category: the customer's own mean spend on it per order that has
/// it, else the mean over every customer's orders that have it; in major units of the currency of those
/// orders (the newest one's), before a time.
struct CategoryWorth {
    private var registryMean: [String: (amount: Double, currency: String)] = [:]

    init(_ histories: [CustomerHistory], asOf: Date) {
        var sums: [String: (total: Double, orders: Int, currency: String)] = [:]
        for history in histories {
            for order in history.purchases(before: asOf) {
                for (category, spend) in Self.spendByCategory(order) {
                    let known = sums[category] ?? (0, 0, order.currencyCode)
                    sums[category] = (known.total + spend, known.orders + 1, order.currencyCode)
                }
            }
        }
        registryMean = sums.mapValues { ($0.total / Double($0.orders), $0.currency) }
        self.asOf = asOf
    }

    private let asOf: Date

    /// nil for a class that is no category anyone bought (`none`).
    func expectedSpend(of category: String, by history: CustomerHistory) -> (amount: Double, currency: String)? {
        guard category != AnalysisTarget.noneClass else { return nil }
        var total = 0.0
        var orders = 0
        var currency = ""
        for order in history.purchases(before: asOf) {
            if let spend = Self.spendByCategory(order)[category] {
                total += spend
                orders += 1
                currency = order.currencyCode
            }
        }
        if orders > 0 { return (total / Double(orders), currency) }
        return registryMean[category]
    }

    private static func spendByCategory(_ order: Order) -> [String: Double] {
        var spend: [String: Double] = [:]
        for line in order.lineItems {
            spend[line.category, default: 0] += Order.majorUnits(line.totalMinor, currencyCode: order.currencyCode)
        }
        return spend
    }
}

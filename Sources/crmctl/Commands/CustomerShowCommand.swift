import ArgumentParser
import CRMProto
import GRPCCore
import SwiftProtobuf

extension CustomerCommand {
    /// `crmctl customer show NAME`: one view of a customer (GetCustomerSummary).
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One view of a customer: fields, totals, the newest needs prediction and a timeline.",
            discussion: """
                Totals are per currency: ordered (orders not cancelled or refunded), paid, and open \
                (ordered minus paid). The timeline holds orders, payments and interactions, newest first. \
                -o json prints the whole CustomerSummary; -o csv the timeline.
                """
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "customers/{id} or the id.") var name: String
        @Option(help: ArgumentHelp("Entries of the timeline (default 20, at most 200).", valueName: "n"))
        var timeline: Int32 = 0

        func run() async throws {
            var request = Crm_V1_GetCustomerSummaryRequest()
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            request.timelineSize = timeline
            let sent = request
            let summary = try await Daemon.withClient(options) { client in
                try await service(client).getCustomerSummary(sent)
            }
            switch options.printer.format {
            case .json:
                Terminal.write(try Printer.json(summary))
            case .csv:
                var writer = CSVWriter()
                writer.write(["time", "kind", "name", "what", "amount"])
                for entry in summary.timeline { writer.write(Self.timelineRow(entry)) }
                Terminal.write(writer.text)
            case .table, .wide:
                Terminal.write(Self.render(summary))
            }
        }

        /// The table view: who, totals, the prediction in words, the timeline.
        static func render(_ summary: Crm_V1_CustomerSummary) -> String {
            let customer = summary.customer
            var out = "\(customer.displayName) (\(customer.name))\(customer.hasDeleteTime ? " — deleted" : "")\n"
            let contact = [customer.company, customer.email, customer.phone].filter { !$0.isEmpty }
            if !contact.isEmpty { out += contact.joined(separator: " · ") + "\n" }
            var facts = ["stage \(customer.lifecycleStage.label.isEmpty ? "-" : customer.lifecycleStage.label)"]
            if !customer.externalID.isEmpty { facts.append("external id \(customer.externalID)") }
            if customer.hasCustomerSince { facts.append("customer since \(day(customer.customerSince))") }
            if !customer.tags.isEmpty { facts.append("tags \(customer.tags.joined(separator: ";"))") }
            out += facts.joined(separator: " · ") + "\n\n"

            out += "\(summary.orderCount) orders · \(summary.paymentCount) payments · "
            out += "\(summary.interactionCount) interactions"
            out += " · last order \(summary.hasLastOrderTime ? day(summary.lastOrderTime) : "never")"
            out += " · last contact \(summary.hasLastContactTime ? day(summary.lastContactTime) : "never")\n"
            if !summary.totals.isEmpty {
                out += TextTable(
                    headers: ["CURRENCY", "ORDERED", "PAID", "OPEN"],
                    rows: summary.totals.map { total in
                        [
                            total.currencyCode, Money.display(minor: total.orderedMinor, currency: total.currencyCode),
                            Money.display(minor: total.paidMinor, currency: total.currencyCode),
                            Money.display(minor: total.openBalanceMinor, currency: total.currencyCode),
                        ]
                    }
                ).render()
            }
            out += "\n"
            if summary.hasLatestPrediction {
                let latest = summary.latestPrediction
                let prediction = latest.prediction
                out += "Needs (\(latest.target), \(latest.model), scored \(day(latest.scoreTime))): "
                out += "\(prediction.predictedClass) \(Int((prediction.confidence * 100).rounded())) %\n"
                for driver in prediction.drivers {
                    out += "  - \(driver.text)\n"
                }
            } else {
                out += "Needs: no prediction yet (crmctl analysis train, then analysis predict or report)\n"
            }
            out += "\n"
            if summary.timeline.isEmpty {
                out += "Timeline: nothing yet\n"
            } else {
                out += TextTable(
                    headers: ["TIME", "KIND", "NAME", "WHAT", "AMOUNT"],
                    rows: summary.timeline.map(timelineRow)
                )
                .render()
            }
            return out
        }

        /// time, kind, name, what, amount.
        static func timelineRow(_ entry: Crm_V1_TimelineEntry) -> [String] {
            let time = RFC3339.format(entry.time)
            switch entry.entry {
            case .order(let order):
                let categories = Array(Set(order.lineItems.map(\.category))).sorted().joined(separator: ", ")
                let lines = order.lineItems.count == 1 ? "1 line" : "\(order.lineItems.count) lines"
                return [
                    time, "order", order.name, "\(order.status.label): \(lines) (\(categories))",
                    Money.display(minor: order.totalMinor, currency: order.currencyCode),
                ]
            case .payment(let payment):
                return [
                    time, "payment", payment.name,
                    "for \(payment.order)\(payment.method.isEmpty ? "" : " by \(payment.method)")",
                    Money.display(minor: payment.amountMinor, currency: payment.currencyCode),
                ]
            case .interaction(let contact):
                let what = [
                    contact.direction.label, contact.subject, contact.outcome.isEmpty ? "" : "→ \(contact.outcome)",
                ]
                .filter { !$0.isEmpty }.joined(separator: " ")
                return [time, contact.kind.label, contact.name, what, ""]
            case nil:
                return [time, "", "", "", ""]
            }
        }

        static func day(_ timestamp: Google_Protobuf_Timestamp) -> String {
            String(RFC3339.format(timestamp).prefix(10))
        }
    }
}

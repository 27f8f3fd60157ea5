import ArgumentParser
import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf

// Correcting records: `order update`, `payment update|delete`, `interaction update|delete`. Each sends only
// the flags given as its update mask, and `--etag` makes it fail (exit 4) when someone changed the record
// since it was read.

/// Fails with a usage error when no field flag was given.
private func requireChanges(_ paths: [String], noun: String) throws(CommandError) {
    guard !paths.isEmpty else {
        throw CommandError(.usage, "nothing to update: give at least one field flag (see crmctl \(noun) update --help)")
    }
}

extension OrderCommand {
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct an order: its lines, time, status, external id, customer or currency.",
            discussion: """
                --item (repeatable) replaces all line items, priced in the order's currency (or \
                --currency). The currency can change only while no payment is recorded.
                """
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "orders/{id} or the id.") var name: String
        @Option(
            name: .customLong("item"),
            help: ArgumentHelp("A line item; replaces all (repeatable).", valueName: "spec")
        )
        var items: [String] = []
        @Option(help: ArgumentHelp("When the order was placed: RFC 3339 or YYYY-MM-DD.", valueName: "time"))
        var time: String?
        @Option(help: ArgumentHelp(ArgumentHelp.statusHelp, valueName: "status")) var status: String?
        @Option(name: .customLong("external-id"), help: ArgumentHelp("Key in the ERP.", valueName: "id"))
        var externalID: String?
        @Option(help: ArgumentHelp("Move the order to this customer: customers/{id} or the id.", valueName: "name"))
        var customer: String?
        @Option(help: ArgumentHelp("ISO 4217 currency code.", valueName: "code")) var currency: String?
        @Option(help: ArgumentHelp("Only update if the order still has this etag.", valueName: "etag"))
        var etag: String?

        func run() async throws {
            var order = Crm_V1_Order()
            order.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            var paths: [String] = []
            if let time {
                order.orderTime = try parseFlag("--time") { () throws(ValueError) in try RFC3339.parse(time) }
                paths.append("order_time")
            }
            if let status {
                order.status = try parseFlag("--status") { () throws(ValueError) in
                    try Crm_V1_OrderStatus.parse(label: status)
                }
                paths.append("status")
            }
            if let externalID {
                order.externalID = externalID
                paths.append("external_id")
            }
            if let customer {
                order.customer = try parseFlag("--customer") { () throws(ValueError) in
                    try ResourceArgument.name(customer, collection: CustomerCommand.collection)
                }
                paths.append("customer")
            }
            if let currency {
                order.currencyCode = try parseFlag("--currency") { () throws(ValueError) in
                    try Currency.normalizedCode(currency)
                }
                paths.append("currency_code")
            }
            if !items.isEmpty { paths.append("line_items") }
            try requireChanges(paths, noun: "order")
            if let etag { order.etag = etag }
            let (template, items, mask) = (order, items, paths)
            let updated = try await Daemon.withClient(options) { client in
                var sent = template
                if !items.isEmpty {
                    // Prices are in major units of the order's currency: read it unless --currency says.
                    let code =
                        sent.currencyCode.isEmpty
                        ? try await service(client).getOrder(.with { $0.name = template.name }).currencyCode
                        : sent.currencyCode
                    let exponent = Currency.minorUnitDigits(code)
                    sent.lineItems = try items.map { item throws(CommandError) in
                        try parseFlag("--item") { () throws(ValueError) in
                            try LineItemArgument.parse(item, exponent: exponent)
                        }
                    }
                }
                let request = Crm_V1_UpdateOrderRequest.with {
                    $0.order = sent
                    $0.updateMask = Google_Protobuf_FieldMask(protoPaths: mask)
                }
                return try await service(client).updateOrder(request)
            }
            try options.printer.record(updated)
        }
    }
}

extension PaymentCommand {
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a payment: amount, time, method, external id or order.",
            discussion: "The orders' paid amounts follow. --amount is in major units of the payment's currency."
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "payments/{id} or the id.") var name: String
        @Option(help: ArgumentHelp("Amount in major units, e.g. 12.50.", valueName: "amount")) var amount: String?
        @Option(help: ArgumentHelp("When it was paid: RFC 3339 or YYYY-MM-DD.", valueName: "time")) var time: String?
        @Option(help: ArgumentHelp("How it was paid, e.g. card, transfer, cash.", valueName: "method"))
        var method: String?
        @Option(name: .customLong("external-id"), help: ArgumentHelp("Key in another system.", valueName: "id"))
        var externalID: String?
        @Option(help: ArgumentHelp("Move the payment to this order: orders/{id} or the id.", valueName: "name"))
        var order: String?
        @Option(help: ArgumentHelp("Only update if the payment still has this etag.", valueName: "etag"))
        var etag: String?

        func run() async throws {
            var payment = Crm_V1_Payment()
            payment.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            var paths: [String] = []
            if let time {
                payment.paidTime = try parseFlag("--time") { () throws(ValueError) in try RFC3339.parse(time) }
                paths.append("paid_time")
            }
            if let method {
                payment.method = method
                paths.append("method")
            }
            if let externalID {
                payment.externalID = externalID
                paths.append("external_id")
            }
            if let order {
                payment.order = try parseFlag("--order") { () throws(ValueError) in
                    try ResourceArgument.name(order, collection: OrderCommand.collection)
                }
                paths.append("order")
            }
            if amount != nil { paths.append("amount_minor") }
            try requireChanges(paths, noun: "payment")
            if let etag { payment.etag = etag }
            let (template, amount, mask) = (payment, amount, paths)
            let updated = try await Daemon.withClient(options) { client in
                var sent = template
                if let amount {
                    let code = try await service(client).getPayment(.with { $0.name = template.name }).currencyCode
                    sent.amountMinor = try parseFlag("--amount") { () throws(ValueError) in
                        try Money.minorUnits(fromMajor: amount, exponent: Currency.minorUnitDigits(code))
                    }
                }
                let request = Crm_V1_UpdatePaymentRequest.with {
                    $0.payment = sent
                    $0.updateMask = Google_Protobuf_FieldMask(protoPaths: mask)
                }
                return try await service(client).updatePayment(request)
            }
            try options.printer.record(updated)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a payment recorded by mistake (a refund is an order status, not a deletion)."
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "payments/{id} or the id.") var name: String
        @Option(help: ArgumentHelp("Only delete if the payment still has this etag.", valueName: "etag"))
        var etag = ""

        func run() async throws {
            var request = Crm_V1_DeletePaymentRequest()
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            request.etag = etag
            let sent = request
            _ = try await Daemon.withClient(options) { client in try await service(client).deletePayment(sent) }
            Terminal.warn("deleted \(sent.name)")
        }
    }
}

extension InteractionCommand {
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct an interaction: any of its fields, or the customer it belongs to."
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "interactions/{id} or the id.") var name: String
        @Option(help: ArgumentHelp("\(Crm_V1_InteractionKind.labelList).", valueName: "kind")) var kind: String?
        @Option(help: ArgumentHelp("\(Crm_V1_Direction.labelList).", valueName: "direction")) var direction: String?
        @Option(help: ArgumentHelp("When it happened: RFC 3339 or YYYY-MM-DD.", valueName: "time")) var time: String?
        @Option(help: ArgumentHelp("One line; up to 500 characters.", valueName: "text")) var subject: String?
        @Option(help: ArgumentHelp("The full text.", valueName: "text")) var body: String?
        @Option(help: ArgumentHelp("What came of it.", valueName: "outcome")) var outcome: String?
        @Option(help: ArgumentHelp("What it was about.", valueName: "topic")) var topic: String?
        @Option(help: ArgumentHelp("How long: 300, 300s, 5m or 1h30m.", valueName: "duration")) var duration: String?
        @Option(name: .customLong("external-id"), help: ArgumentHelp("Key in the OA system.", valueName: "id"))
        var externalID: String?
        @Option(help: ArgumentHelp("Move it to this customer: customers/{id} or the id.", valueName: "name"))
        var customer: String?
        @Option(help: ArgumentHelp("Only update if the interaction still has this etag.", valueName: "etag"))
        var etag: String?

        func run() async throws {
            var interaction = Crm_V1_Interaction()
            interaction.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            var paths: [String] = []
            if let kind {
                interaction.kind = try parseFlag("--kind") { () throws(ValueError) in
                    try Crm_V1_InteractionKind.parse(label: kind)
                }
                paths.append("kind")
            }
            if let direction {
                interaction.direction = try parseFlag("--direction") { () throws(ValueError) in
                    try Crm_V1_Direction.parse(label: direction)
                }
                paths.append("direction")
            }
            if let time {
                interaction.occurTime = try parseFlag("--time") { () throws(ValueError) in try RFC3339.parse(time) }
                paths.append("occur_time")
            }
            for (value, path, write) in [
                (subject, "subject", { (text: String) in interaction.subject = text }),
                (body, "body", { interaction.body = $0 }), (outcome, "outcome", { interaction.outcome = $0 }),
                (topic, "topic", { interaction.topic = $0 }),
                (externalID, "external_id", { interaction.externalID = $0 }),
            ] as [(String?, String, (String) -> Void)] {
                if let value {
                    write(value)
                    paths.append(path)
                }
            }
            if let duration {
                let seconds = try parseFlag("--duration") { () throws(ValueError) in try DurationText.seconds(duration)
                }
                guard let narrow = Int32(exactly: seconds) else { throw CommandError(.usage, "--duration: too long") }
                interaction.durationSeconds = narrow
                paths.append("duration_seconds")
            }
            if let customer {
                interaction.customer = try parseFlag("--customer") { () throws(ValueError) in
                    try ResourceArgument.name(customer, collection: CustomerCommand.collection)
                }
                paths.append("customer")
            }
            try requireChanges(paths, noun: "interaction")
            if let etag { interaction.etag = etag }
            let request = Crm_V1_UpdateInteractionRequest.with {
                $0.interaction = interaction
                $0.updateMask = Google_Protobuf_FieldMask(protoPaths: paths)
            }
            let updated = try await Daemon.withClient(options) { client in
                try await service(client).updateInteraction(request)
            }
            try options.printer.record(updated)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an interaction recorded by mistake.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "interactions/{id} or the id.") var name: String
        @Option(help: ArgumentHelp("Only delete if the interaction still has this etag.", valueName: "etag"))
        var etag = ""

        func run() async throws {
            var request = Crm_V1_DeleteInteractionRequest()
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            request.etag = etag
            let sent = request
            _ = try await Daemon.withClient(options) { client in try await service(client).deleteInteraction(sent) }
            Terminal.warn("deleted \(sent.name)")
        }
    }
}

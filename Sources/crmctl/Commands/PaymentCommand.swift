import ArgumentParser
import CRMProto
import GRPCCore
import SwiftProtobuf

/// `crmctl payment …`: record, read and list payments against orders.
struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment",
        abstract: "Manage payments.",
        subcommands: [Create.self, Get.self, List.self, Update.self, Delete.self]
    )

    static let collection = "payments"

    static func service(_ client: GRPCClient<Daemon.Transport>) -> Crm_V1_OrderService.Client<Daemon.Transport> {
        Crm_V1_OrderService.Client(wrapping: client)
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a payment against an order.")

        @OptionGroup var options: ClientOptions
        @Option(help: ArgumentHelp("The order: orders/{id} or the id.", valueName: "name")) var order: String?
        @Option(name: .customLong("order-external-id"), help: ArgumentHelp("The order's external id.", valueName: "id"))
        var orderExternalID: String?
        @Option(help: ArgumentHelp("Amount in major units, e.g. 12.50.", valueName: "amount")) var amount: String
        @Option(help: ArgumentHelp("ISO 4217 code; must be the order's currency.", valueName: "code")) var currency:
            String
        @Option(help: ArgumentHelp("How it was paid, e.g. card, transfer, cash.", valueName: "method")) var method:
            String?
        @Option(help: ArgumentHelp("When it was paid: RFC 3339 or YYYY-MM-DD.", valueName: "time")) var time: String?
        @Option(name: .customLong("external-id"), help: ArgumentHelp("Key in another system.", valueName: "id"))
        var externalID: String?

        func validate() throws {
            guard (order == nil) != (orderExternalID == nil) else {
                throw ValidationError("give exactly one of --order and --order-external-id")
            }
        }

        func run() async throws {
            var payment = Crm_V1_Payment()
            if let order {
                payment.order = try parseFlag("--order") { () throws(ValueError) in
                    try ResourceArgument.name(order, collection: OrderCommand.collection)
                }
            }
            if let orderExternalID { payment.orderExternalID = orderExternalID }
            let currency = try parseFlag("--currency") { () throws(ValueError) in
                try Currency.normalizedCode(self.currency)
            }
            payment.currencyCode = currency
            payment.amountMinor = try parseFlag("--amount") { () throws(ValueError) in
                try Money.minorUnits(fromMajor: amount, exponent: Currency.minorUnitDigits(currency))
            }
            if let method { payment.method = method }
            if let time {
                payment.paidTime = try parseFlag("--time") { () throws(ValueError) in try RFC3339.parse(time) }
            }
            if let externalID { payment.externalID = externalID }
            let request = Crm_V1_CreatePaymentRequest.with { $0.payment = payment }
            let created = try await Daemon.withClient(options) { client in
                try await service(client).createPayment(request)
            }
            try options.printer.record(created)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a payment.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "payments/{id} or the id.") var name: String

        func run() async throws {
            var request = Crm_V1_GetPaymentRequest()
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            let sent = request
            let payment = try await Daemon.withClient(options) { client in try await service(client).getPayment(sent) }
            try options.printer.record(payment)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List payments.",
            discussion: "Filter fields: order, customer, currency_code, paid_time, amount_minor, method, external_id."
        )

        @OptionGroup var options: ClientOptions
        @OptionGroup var list: ListOptions
        @OptionGroup var scope: CustomerScope

        func run() async throws {
            try await scope.narrowing(list).run(Crm_V1_ListPaymentsRequest(), options: options) { client, request in
                try await service(client).listPayments(request)
            }
        }
    }
}

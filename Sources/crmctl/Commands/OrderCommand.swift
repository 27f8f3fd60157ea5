import ArgumentParser
import CRMProto
import GRPCCore
import SwiftProtobuf

/// `crmctl order …`: create, read and list orders, and move them through their statuses.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Manage orders.",
        subcommands: [Create.self, Get.self, List.self, Update.self, SetStatus.self]
    )

    static let collection = "orders"

    static func service(_ client: GRPCClient<Daemon.Transport>) -> Crm_V1_OrderService.Client<Daemon.Transport> {
        Crm_V1_OrderService.Client(wrapping: client)
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an order.",
            discussion: """
                Each --item is 'sku=…,name=…,category=…,qty=2,price=12.50'; the price is in major \
                units of --currency (12.50 EUR, 1250 JPY, 1.250 KWD).
                """
        )

        @OptionGroup var options: ClientOptions
        @Option(help: ArgumentHelp("The buyer: customers/{id} or the id.", valueName: "name"))
        var customer: String?
        @Option(
            name: .customLong("customer-external-id"),
            help: ArgumentHelp("The buyer's external id.", valueName: "id")
        )
        var customerExternalID: String?
        @Option(help: ArgumentHelp("ISO 4217 currency code, e.g. EUR.", valueName: "code"))
        var currency: String
        @Option(name: .customLong("item"), help: ArgumentHelp("A line item (repeatable).", valueName: "spec"))
        var items: [String] = []
        @Option(name: .customLong("external-id"), help: ArgumentHelp("Key in the ERP.", valueName: "id"))
        var externalID: String?
        @Option(
            help: ArgumentHelp("When the order was placed: RFC 3339 or YYYY-MM-DD (default: now).", valueName: "time")
        )
        var time: String?
        @Option(help: ArgumentHelp(ArgumentHelp.statusHelp, valueName: "status"))
        var status: String?

        func validate() throws {
            guard (customer == nil) != (customerExternalID == nil) else {
                throw ValidationError("give exactly one of --customer and --customer-external-id")
            }
            guard !items.isEmpty else { throw ValidationError("give at least one --item") }
        }

        func run() async throws {
            var order = Crm_V1_Order()
            if let customer {
                order.customer = try parseFlag("--customer") { () throws(ValueError) in
                    try ResourceArgument.name(customer, collection: CustomerCommand.collection)
                }
            }
            if let customerExternalID { order.customerExternalID = customerExternalID }
            let currency = try parseFlag("--currency") { () throws(ValueError) in
                try Currency.normalizedCode(self.currency)
            }
            order.currencyCode = currency
            let exponent = Currency.minorUnitDigits(currency)
            order.lineItems = try items.map { item throws(CommandError) in
                try parseFlag("--item") { () throws(ValueError) in try LineItemArgument.parse(item, exponent: exponent)
                }
            }
            if let externalID { order.externalID = externalID }
            if let time {
                order.orderTime = try parseFlag("--time") { () throws(ValueError) in try RFC3339.parse(time) }
            }
            if let status {
                order.status = try parseFlag("--status") { () throws(ValueError) in
                    try Crm_V1_OrderStatus.parse(label: status)
                }
            }
            let request = Crm_V1_CreateOrderRequest.with { $0.order = order }
            let created = try await Daemon.withClient(options) { client in
                try await service(client).createOrder(request)
            }
            try options.printer.record(created)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an order with its line items.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "orders/{id} or the id.") var name: String

        func run() async throws {
            var request = Crm_V1_GetOrderRequest()
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            let sent = request
            let order = try await Daemon.withClient(options) { client in try await service(client).getOrder(sent) }
            try options.printer.record(order)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List orders.",
            discussion:
                "Filter fields: customer, status, currency_code, order_time, total_minor, external_id, create_time."
        )

        @OptionGroup var options: ClientOptions
        @OptionGroup var list: ListOptions
        @OptionGroup var scope: CustomerScope

        func run() async throws {
            try await scope.narrowing(list).run(Crm_V1_ListOrdersRequest(), options: options) { client, request in
                try await service(client).listOrders(request)
            }
        }
    }

    struct SetStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-status",
            abstract: "Change an order's status (the only field that may change)."
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "orders/{id} or the id.") var name: String
        @Argument(help: ArgumentHelp(ArgumentHelp.statusHelp)) var status: String
        @Option(help: ArgumentHelp("Only update if the order still has this etag.", valueName: "etag"))
        var etag = ""

        func run() async throws {
            var order = Crm_V1_Order()
            order.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            order.status = try parseFlag("STATUS") { () throws(ValueError) in
                try Crm_V1_OrderStatus.parse(label: status)
            }
            guard order.status != .unspecified else {
                throw CommandError(.usage, "STATUS: expected one of \(Crm_V1_OrderStatus.labelList)")
            }
            order.etag = etag
            let request = Crm_V1_UpdateOrderRequest.with {
                $0.order = order
                $0.updateMask = Google_Protobuf_FieldMask(protoPaths: ["status"])
            }
            let updated = try await Daemon.withClient(options) { client in
                try await service(client).updateOrder(request)
            }
            try options.printer.record(updated)
        }
    }
}

extension ArgumentHelp {
    /// Help text naming the order statuses.
    static var statusHelp: String { "Order status: \(Crm_V1_OrderStatus.labelList)." }
}

import ArgumentParser
import CRMProto
import Foundation
import GRPCCore

/// `crmctl export KIND [FILE]`: write every record of a kind as CSV, ordered by id.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export customers, orders, payments or interactions as CSV.",
        discussion: """
            Records are written in the order of their ids, times as RFC 3339 UTC and amounts in \
            major units, in the columns `import` reads: exporting, importing into an empty crmd \
            and exporting again gives the same bytes. Deleted customers are left out.
            """
    )

    /// Records per List call.
    static let pageSize: Int32 = 1000

    @OptionGroup var options: ClientOptions
    @Argument(help: "customers, orders, payments or interactions.") var kind: RecordKind
    @Argument(help: "Where to write; standard output when omitted or -.") var file: String?
    @Option(help: ArgumentHelp("AIP-160 filter, as for list.", valueName: "expr")) var filter = ""

    func run() async throws {
        let filter = self.filter
        let (csv, count) = try await Daemon.withClient(options) { client -> (String, Int) in
            switch kind {
            case .customers:
                let records = try await Self.customers(client, filter: filter)
                return (CustomerCSV.csv(for: records), records.count)
            case .orders:
                let records = try await Self.orders(client, filter: filter)
                return (OrderCSV.csv(for: records), records.count)
            case .payments:
                let records = try await Self.payments(client, filter: filter)
                return (PaymentCSV.csv(for: records), records.count)
            case .interactions:
                let records = try await Self.interactions(client, filter: filter)
                return (InteractionCSV.csv(for: records), records.count)
            }
        }
        if let file, file != "-" {
            try OutputFile.write(csv, to: file)
            Terminal.warn("exported \(count) \(kind.rawValue) to \(file)")
        } else {
            Terminal.write(csv)
        }
    }

    /// Every customer not deleted, through the server-streaming ExportCustomers.
    static func customers(_ client: GRPCClient<Daemon.Transport>, filter: String) async throws -> [Crm_V1_Customer] {
        let request = Crm_V1_ExportCustomersRequest.with { $0.filter = filter }
        let records = try await Crm_V1_CustomerService.Client(wrapping: client).exportCustomers(request) { response in
            var all: [Crm_V1_Customer] = []
            for try await message in response.messages {
                all += message.customers
            }
            return all
        }
        return ResourceArgument.sortedByID(records, name: \.name)
    }

    static func orders(_ client: GRPCClient<Daemon.Transport>, filter: String) async throws -> [Crm_V1_Order] {
        let service = Crm_V1_OrderService.Client(wrapping: client)
        var records = try await Pager.collect(from: "", all: true) { token in
            let page = try await service.listOrders(
                .with {
                    $0.pageSize = pageSize
                    $0.pageToken = token
                    $0.filter = filter
                }
            )
            return (page.orders, page.nextPageToken)
        }.records
        var lookup = ExternalIDLookup(client: client)
        for index in records.indices where records[index].customerExternalID.isEmpty && !records[index].customer.isEmpty
        {
            records[index].customerExternalID = try await lookup.customer(records[index].customer)
        }
        lookup.warnAboutMissing(noun: "orders", column: "customer_external_id")
        return ResourceArgument.sortedByID(records, name: \.name)
    }

    static func payments(_ client: GRPCClient<Daemon.Transport>, filter: String) async throws -> [Crm_V1_Payment] {
        let service = Crm_V1_OrderService.Client(wrapping: client)
        var records = try await Pager.collect(from: "", all: true) { token in
            let page = try await service.listPayments(
                .with {
                    $0.pageSize = pageSize
                    $0.pageToken = token
                    $0.filter = filter
                }
            )
            return (page.payments, page.nextPageToken)
        }.records
        var lookup = ExternalIDLookup(client: client)
        for index in records.indices where records[index].orderExternalID.isEmpty && !records[index].order.isEmpty {
            records[index].orderExternalID = try await lookup.order(records[index].order)
        }
        lookup.warnAboutMissing(noun: "payments", column: "order_external_id")
        return ResourceArgument.sortedByID(records, name: \.name)
    }

    static func interactions(
        _ client: GRPCClient<Daemon.Transport>,
        filter: String
    ) async throws -> [Crm_V1_Interaction] {
        let service = Crm_V1_InteractionService.Client(wrapping: client)
        var records = try await Pager.collect(from: "", all: true) { token in
            let page = try await service.listInteractions(
                .with {
                    $0.pageSize = pageSize
                    $0.pageToken = token
                    $0.filter = filter
                }
            )
            return (page.interactions, page.nextPageToken)
        }.records
        var lookup = ExternalIDLookup(client: client)
        for index in records.indices
        where records[index].customerExternalID.isEmpty && !records[index].customer.isEmpty {
            records[index].customerExternalID = try await lookup.customer(records[index].customer)
        }
        lookup.warnAboutMissing(noun: "interactions", column: "customer_external_id")
        return ResourceArgument.sortedByID(records, name: \.name)
    }
}

import CRMProto
import GRPCCore
import SwiftProtobuf

/// A List request of the API: the paging, filter and order fields (AIP-132).
protocol ListRequestMessage: SwiftProtobuf.Message {
    var filter: String { get set }
    var orderBy: String { get set }
    var pageSize: Int32 { get set }
    var pageToken: String { get set }
}

/// A List response of the API: one page of records.
protocol ListResponseMessage: SwiftProtobuf.Message {
    associatedtype Record: PrintableRecord & Sendable
    var records: [Record] { get set }
    /// The JSON name of ``records``.
    static var recordsKey: String { get }
    var nextPageToken: String { get set }
    var totalSize: Int64 { get set }
}

extension Crm_V1_ListCustomersRequest: ListRequestMessage {}
extension Crm_V1_ListOrdersRequest: ListRequestMessage {}
extension Crm_V1_ListPaymentsRequest: ListRequestMessage {}
extension Crm_V1_ListInteractionsRequest: ListRequestMessage {}

extension Crm_V1_ListCustomersResponse: ListResponseMessage {
    static var recordsKey: String { "customers" }

    var records: [Crm_V1_Customer] {
        get { customers }
        set { customers = newValue }
    }
}

extension Crm_V1_ListOrdersResponse: ListResponseMessage {
    static var recordsKey: String { "orders" }

    var records: [Crm_V1_Order] {
        get { orders }
        set { orders = newValue }
    }
}

extension Crm_V1_ListPaymentsResponse: ListResponseMessage {
    static var recordsKey: String { "payments" }

    var records: [Crm_V1_Payment] {
        get { payments }
        set { payments = newValue }
    }
}

extension Crm_V1_ListInteractionsResponse: ListResponseMessage {
    static var recordsKey: String { "interactions" }

    var records: [Crm_V1_Interaction] {
        get { interactions }
        set { interactions = newValue }
    }
}

extension ListOptions {
    /// Runs a `list` command: sends `request` with these flags, follows the
    /// pages when `--all` is given, and prints the records.
    /// - Parameters:
    ///   - request: the request with its resource-specific fields set (e.g. show_deleted).
    ///   - call: the List method of the service.
    func run<Request: ListRequestMessage, Response: ListResponseMessage>(
        _ request: Request,
        options: ClientOptions,
        call: @escaping @Sendable (GRPCClient<Daemon.Transport>, Request) async throws -> Response
    ) async throws {
        var template = request
        template.filter = filter
        template.orderBy = orderBy
        template.pageSize = pageSize ?? 0
        let first = template
        let (result, total) = try await Daemon.withClient(options) { client in
            var total: Int64 = 0
            let result = try await Pager.collect(from: pageToken, all: all) { token in
                var page = first
                page.pageToken = token
                let response = try await call(client, page)
                total = response.totalSize
                return (response.records, response.nextPageToken)
            }
            return (result, total)
        }
        var response = Response()
        response.records = result.records
        response.nextPageToken = result.nextPageToken
        response.totalSize = total
        try options.printer.list(
            result.records,
            response: response,
            recordsKey: Response.recordsKey,
            nextPageToken: result.nextPageToken
        )
    }
}

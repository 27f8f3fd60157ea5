import CRMCore
import CRMProto

/// The paging, filtering and ordering fields every List request carries (AIP-132).
protocol ListRequest {
    var pageSize: Int32 { get }
    var pageToken: String { get }
    var filter: String { get }
    var orderBy: String { get }
}

extension Crm_V1_ListCustomersRequest: ListRequest {}
extension Crm_V1_ListOrdersRequest: ListRequest {}
extension Crm_V1_ListPaymentsRequest: ListRequest {}
extension Crm_V1_ListInteractionsRequest: ListRequest {}

extension ListQuery {
    init(_ request: some ListRequest, showDeleted: Bool = false) throws {
        self.init(
            pageSize: try RequestChecks.pageSize(request.pageSize),
            pageToken: request.pageToken,
            filter: request.filter,
            orderBy: request.orderBy,
            showDeleted: showDeleted
        )
    }
}

/// A message of a client-streaming Import call: a batch of rows, and the
/// options that the first message of the stream sets.
protocol ImportRequest: Sendable {
    associatedtype Row
    var rows: [Row] { get }
    var atomic: Bool { get }
    var validateOnly: Bool { get }
    var skipInvalid: Bool { get }
    /// How a row without an external id is matched (customers only).
    var importMatch: ImportMatch { get }
}

extension ImportRequest {
    var importMatch: ImportMatch { .externalID }
}

extension Crm_V1_ImportCustomersRequest: ImportRequest {
    var rows: [Crm_V1_Customer] { customers }
    var importMatch: ImportMatch {
        switch match {
        case .email: .email
        case .phone: .phone
        default: .externalID
        }
    }
}

extension Crm_V1_ImportOrdersRequest: ImportRequest {
    var rows: [Crm_V1_Order] { orders }
}

extension Crm_V1_ImportPaymentsRequest: ImportRequest {
    var rows: [Crm_V1_Payment] { payments }
}

extension Crm_V1_ImportInteractionsRequest: ImportRequest {
    var rows: [Crm_V1_Interaction] { interactions }
}

public import CRMCore
public import CRMProto
import Foundation
public import GRPCCore

/// `crm.v1.AuditService`: reading and verifying the change log (docs/audit.md).
public struct AuditService<Store: ChangeLogStore>: Crm_V1_AuditService.SimpleServiceProtocol {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// What entries are about: the records' collections, and the resources of events.
    static var collections: [String] {
        ["customers", "orders", "payments", "interactions", "models", "plugins", "backups", "storage-key"]
    }

    static var defaultPageSize: Int { 100 }
    static var maximumPageSize: Int { 1000 }

    public func listChanges(
        request: Crm_V1_ListChangesRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListChangesResponse {
        var query = ChangeQuery(
            afterRevision: try Self.startRevision(request.afterRevision, token: request.pageToken),
            limit: try Self.pageSize(request.pageSize),
            resource: request.resource,
            uid: request.hasCallerUid ? request.callerUid : nil,
            since: request.hasSince ? request.since.microsecondDate : nil,
            method: request.method
        )
        if !request.resource.isEmpty, !request.resource.contains("/") {
            guard Self.collections.contains(request.resource) else {
                throw CRMError.invalid(
                    "resource",
                    "must be a resource name (customers/12) or one of " + Self.collections.joined(separator: ", ")
                )
            }
        }
        if !request.customer.isEmpty {
            query.customerID = try ResourceName.parseID(request.customer, collection: "customers", field: "customer")
        }
        return try await page(query)
    }

    public func listHistory(
        request: Crm_V1_ListHistoryRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListChangesResponse {
        let collection = request.name.split(separator: "/").first.map(String.init) ?? ""
        guard ["customers", "orders", "payments", "interactions"].contains(collection) else {
            throw CRMError.invalid("name", "must be customers/{id}, orders/{id}, payments/{id} or interactions/{id}")
        }
        let id = try ResourceName.parseID(request.name, collection: collection, field: "name")
        var query = ChangeQuery(
            afterRevision: try Self.startRevision(0, token: request.pageToken),
            limit: try Self.pageSize(request.pageSize)
        )
        if request.includeRelated {
            guard collection == "customers" else {
                throw CRMError.invalid("include_related", "applies to a customer only")
            }
            query.customerID = id
        } else {
            query.resource = request.name
        }
        let response = try await page(query)
        if response.changes.isEmpty, request.pageToken.isEmpty {
            throw CRMError.notFound(request.name)
        }
        return response
    }

    public func verifyChanges(
        request: Crm_V1_VerifyChangesRequest,
        context: ServerContext
    ) async throws -> Crm_V1_VerifyChangesResponse {
        var expected: Data? = nil
        if !request.expectedHead.isEmpty {
            guard let hash = Data(hex: request.expectedHead), hash.count == 32 else {
                throw CRMError.invalid("expected_head", "must be a SHA-256 hash in hex (64 digits)")
            }
            expected = hash
        }
        let verification = try await store.verifyChangeLog(expectedHead: expected)
        return .with {
            $0.entries = verification.entries
            $0.headRevision = verification.head.revision
            $0.headHash = verification.head.hash.hexString
            $0.recordsChecked = verification.recordsChecked
            $0.intact = verification.intact
            $0.problems = verification.problems.map { problem in
                .with {
                    $0.revision = problem.revision
                    $0.resource = problem.resource
                    $0.description_p = problem.description
                }
            }
            if let found = verification.expectedHeadFound { $0.expectedHeadFound = found }
        }
    }

    /// One page of `query`, with the token of the next when the page is full.
    private func page(_ query: ChangeQuery) async throws -> Crm_V1_ListChangesResponse {
        var query = query
        query.limit += 1
        let entries = try await store.changes(query)
        let head = try await store.changeLogHead()
        let page = entries.prefix(query.limit - 1)
        return .with {
            $0.changes = page.map(Crm_V1_Change.init)
            if entries.count > page.count, let last = page.last { $0.nextPageToken = "r\(last.revision)" }
            $0.headRevision = head.revision
        }
    }

    static func pageSize(_ size: Int32) throws -> Int {
        guard (0...Int32(maximumPageSize)).contains(size) else {
            throw CRMError.invalid("page_size", "must be 0 to \(maximumPageSize)")
        }
        return size == 0 ? defaultPageSize : Int(size)
    }

    /// A page token is `r` and the last revision of the page before.
    static func startRevision(_ after: Int64, token: String) throws -> Int64 {
        guard after >= 0 else { throw CRMError.invalid("after_revision", "must not be negative") }
        guard !token.isEmpty else { return after }
        guard token.hasPrefix("r"), let revision = Int64(token.dropFirst()), revision >= 0 else {
            throw CRMError.invalid("page_token", "is not a token this call returned")
        }
        return revision
    }
}

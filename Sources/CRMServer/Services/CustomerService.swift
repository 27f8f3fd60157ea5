public import CRMCore
public import CRMProto
import Foundation
public import GRPCCore

/// `crm.v1.CustomerService` over a ``CustomerStore``; its summary (``getCustomerSummary(request:context:)``)
/// also reads orders, payments, interactions and stored scores.
public struct CustomerService<Store: CustomerStore & OrderStore & HistoryStore & ModelStore>:
    Crm_V1_CustomerService.SimpleServiceProtocol
{
    let store: Store
    /// Rows per message of ExportCustomers.
    static var exportChunkSize: Int { 500 }
    /// Customers in one BatchCreateCustomers call.
    static var batchLimit: Int { 1000 }

    let imports: ImportLimits

    public init(store: Store, imports: ImportLimits = ImportLimits()) {
        self.store = store
        self.imports = imports
    }

    public func createCustomer(
        request: Crm_V1_CreateCustomerRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Customer {
        let customer = try Self.validated(request.customer, field: "customer", present: request.hasCustomer)
        return try await store.createCustomers([customer])[0].message
    }

    public func getCustomer(request: Crm_V1_GetCustomerRequest, context: ServerContext) async throws -> Crm_V1_Customer
    {
        let id = try ResourceName.parseID(request.name, collection: "customers", field: "name")
        let customer = try await store.customer(id: id)
        if let survivor = customer.mergedInto {
            // Its records live on in the survivor; the caller is pointed there.
            var error = CRMError(
                .notFound,
                "\(customer.resourceName) was merged into \(ResourceName.customer(survivor))"
            )
            error.reason = "MERGED"
            error.metadata = ["merged_into": ResourceName.customer(survivor)]
            throw error
        }
        return customer.message
    }

    public func listCustomers(
        request: Crm_V1_ListCustomersRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListCustomersResponse {
        let page = try await store.listCustomers(try ListQuery(request, showDeleted: request.showDeleted))
        var response = Crm_V1_ListCustomersResponse()
        response.customers = page.items.map(\.message)
        response.nextPageToken = page.nextPageToken
        response.totalSize = page.totalSize
        return response
    }

    public func updateCustomer(
        request: Crm_V1_UpdateCustomerRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Customer {
        guard request.hasCustomer else { throw CRMError.invalid("customer", "is required") }
        let id = try ResourceName.parseID(request.customer.name, collection: "customers", field: "customer.name")
        let expected = try RequestChecks.expectedVersion(request.customer.etag, field: "customer.etag")
        try RequestChecks.known(request.customer.lifecycleStage, field: "customer.lifecycle_stage")
        let mask = try CustomerMask(request.updateMask.paths, populatedIn: request.customer)
        let incoming = Customer(request.customer)
        return try await store.updateCustomer(id: id, expectedVersion: expected) { stored in
            var merged = stored
            mask.apply(incoming, to: &merged)
            stored = try merged.validated(field: "customer")
        }.message
    }

    public func deleteCustomer(
        request: Crm_V1_DeleteCustomerRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Customer {
        let id = try ResourceName.parseID(request.name, collection: "customers", field: "name")
        let expected = try RequestChecks.expectedVersion(request.etag, field: "etag")
        return try await store.deleteCustomer(id: id, expectedVersion: expected).message
    }

    public func undeleteCustomer(
        request: Crm_V1_UndeleteCustomerRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Customer {
        let id = try ResourceName.parseID(request.name, collection: "customers", field: "name")
        let expected = try RequestChecks.expectedVersion(request.etag, field: "etag")
        return try await store.undeleteCustomer(id: id, expectedVersion: expected).message
    }

    public func searchCustomers(
        request: Crm_V1_SearchCustomersRequest,
        context: ServerContext
    ) async throws -> Crm_V1_SearchCustomersResponse {
        try RequestChecks.text(request.query, field: "query", maxLength: 500)
        let page = try await store.searchCustomers(
            SearchQuery(
                text: request.query,
                pageSize: try RequestChecks.pageSize(request.pageSize),
                pageToken: request.pageToken,
                showDeleted: request.showDeleted
            )
        )
        var response = Crm_V1_SearchCustomersResponse()
        response.customers = page.items.map(\.message)
        response.nextPageToken = page.nextPageToken
        return response
    }

    public func batchCreateCustomers(
        request: Crm_V1_BatchCreateCustomersRequest,
        context: ServerContext
    ) async throws -> Crm_V1_BatchCreateCustomersResponse {
        guard !request.requests.isEmpty else { throw CRMError.invalid("requests", "must not be empty") }
        guard request.requests.count <= Self.batchLimit else {
            throw CRMError.invalid(
                "requests",
                "must hold at most \(Self.batchLimit) customers (got \(request.requests.count))"
            )
        }
        var violations = ViolationCollector()
        var customers: [Customer] = []
        for (index, item) in request.requests.enumerated() {
            if let customer = try violations.check({
                try Self.validated(item.customer, field: "requests[\(index)].customer", present: item.hasCustomer)
            }) {
                customers.append(customer)
            }
        }
        try violations.throwIfAny()
        var response = Crm_V1_BatchCreateCustomersResponse()
        response.customers = try await store.createCustomers(customers).map(\.message)
        return response
    }

    public func importCustomers(
        request: RPCAsyncSequence<Crm_V1_ImportCustomersRequest, any Error>,
        context: ServerContext
    ) async throws -> Crm_V1_ImportSummary {
        try await StreamingImport.run(
            limits: imports,
            request,
            externalIDField: nil,
            externalID: \.externalID,
            validate: { row in
                var customer = try Self.validated(row, field: "customer", present: true)
                // Without an external id, a row is keyed by the name an export wrote (if any).
                if row.externalID.isEmpty, !row.name.isEmpty {
                    customer.id = try ResourceName.parseID(row.name, collection: "customers", field: "customer.name")
                }
                return customer
            },
            apply: { rows, options in try await store.importCustomers(rows, options: options) }
        )
    }

    public func exportCustomers(
        request: Crm_V1_ExportCustomersRequest,
        response: RPCWriter<Crm_V1_ExportCustomersResponse>,
        context: ServerContext
    ) async throws {
        try await store.exportCustomers(
            filter: request.filter,
            showDeleted: request.showDeleted,
            chunkSize: Self.exportChunkSize
        ) { chunk in
            var message = Crm_V1_ExportCustomersResponse()
            message.customers = chunk.map(\.message)
            try await response.write(message)
        }
    }

    static func validated(_ message: Crm_V1_Customer, field: String, present: Bool) throws -> Customer {
        guard present else { throw CRMError.invalid(field, "is required") }
        try RequestChecks.known(message.lifecycleStage, field: "\(field).lifecycle_stage")
        return try Customer(message).validated(field: field)
    }
}

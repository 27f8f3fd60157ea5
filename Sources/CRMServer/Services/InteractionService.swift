public import CRMCore
public import CRMProto
public import GRPCCore

/// `crm.v1.InteractionService` — communication records — over an ``InteractionStore``.
public struct InteractionService<Store: InteractionStore>: Crm_V1_InteractionService.SimpleServiceProtocol {
    let store: Store

    let imports: ImportLimits

    public init(store: Store, imports: ImportLimits = ImportLimits()) {
        self.store = store
        self.imports = imports
    }

    public func createInteraction(
        request: Crm_V1_CreateInteractionRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Interaction {
        guard request.hasInteraction else { throw CRMError.invalid("interaction", "is required") }
        let interaction = try Self.validated(request.interaction, field: "interaction")
        return try await store.createInteraction(interaction).message
    }

    public func getInteraction(
        request: Crm_V1_GetInteractionRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Interaction {
        let id = try ResourceName.parseID(request.name, collection: "interactions", field: "name")
        return try await store.interaction(id: id).message
    }

    public func listInteractions(
        request: Crm_V1_ListInteractionsRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListInteractionsResponse {
        let page = try await store.listInteractions(
            try ListQuery(request)
        )
        var response = Crm_V1_ListInteractionsResponse()
        response.interactions = page.items.map(\.message)
        response.nextPageToken = page.nextPageToken
        response.totalSize = page.totalSize
        return response
    }

    public func importInteractions(
        request: RPCAsyncSequence<Crm_V1_ImportInteractionsRequest, any Error>,
        context: ServerContext
    ) async throws -> Crm_V1_ImportSummary {
        try await StreamingImport.run(
            limits: imports,
            request,
            externalIDField: "interaction.external_id",
            externalID: \.externalID,
            validate: { try Self.validated($0, field: "interaction") },
            apply: { rows, options in try await store.importInteractions(rows, options: options) }
        )
    }

    static func validated(_ message: Crm_V1_Interaction, field: String) throws -> Interaction {
        try RequestChecks.known(message.kind, field: "\(field).kind")
        try RequestChecks.known(message.direction, field: "\(field).direction")
        guard message.hasOccurTime else { throw CRMError.invalid("\(field).occur_time", "is required") }
        let customerID =
            message.customer.isEmpty
            ? 0 : try ResourceName.parseID(message.customer, collection: "customers", field: "\(field).customer")
        return try Interaction(message, customerID: customerID).validated(field: field)
    }
}

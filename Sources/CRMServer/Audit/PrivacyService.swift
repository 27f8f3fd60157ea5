public import CRMCore
public import CRMProto
import Foundation
public import GRPCCore

/// `crm.v1.PrivacyService`: a person's request to see, or to have erased, what the registry holds
/// about them (docs/audit.md, "Privacy requests").
public struct PrivacyService<Store: RegistryStore>: Crm_V1_PrivacyService.SimpleServiceProtocol {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func exportCustomerData(
        request: Crm_V1_ExportCustomerDataRequest,
        context: ServerContext
    ) async throws -> Crm_V1_CustomerDataExport {
        let id = try ResourceName.parseID(request.name, collection: "customers", field: "name")
        let customer = try await store.customer(id: id)
        let filter = "customer = \"\(customer.resourceName)\""
        let orders = try await Self.all(filter: filter) { try await store.listOrders($0) }
        let payments = try await Self.all(filter: filter) { try await store.listPayments($0) }
        let interactions = try await Self.all(filter: filter) { try await store.listInteractions($0) }

        var predictions: [Crm_V1_CustomerPrediction] = []
        var before: Int64? = nil
        while true {
            let models = try await store.listModels(target: "", before: before, limit: 100)
            for model in models {
                guard let (score, time) = try await store.score(modelID: model.id, customerID: id) else { continue }
                let classNames = try Crm_V1_Model(model).classNames
                predictions.append(
                    .with {
                        $0.model = model.resourceName
                        $0.target = model.target
                        $0.scoreTime = .init(microsecondDate: time)
                        $0.prediction = Crm_V1_Prediction(score, classNames: classNames)
                    }
                )
            }
            guard models.count == 100, let last = models.last else { break }
            before = last.id
        }

        var changes: [ChangeEntry] = []
        var query = ChangeQuery(limit: 1000, customerID: id)
        while true {
            let page = try await store.changes(query)
            changes += page
            guard page.count == query.limit, let last = page.last else { break }
            query.afterRevision = last.revision
        }

        return .with {
            $0.exportTime = .init(microsecondDate: Date())
            $0.customer = customer.message
            $0.orders = orders.map(\.message)
            $0.payments = payments.map(\.message)
            $0.interactions = interactions.map(\.message)
            $0.predictions = predictions
            $0.changes = changes.map(Crm_V1_Change.init)
        }
    }

    public func eraseCustomer(
        request: Crm_V1_EraseCustomerRequest,
        context: ServerContext
    ) async throws -> Crm_V1_EraseCustomerResponse {
        let id = try ResourceName.parseID(request.name, collection: "customers", field: "name")
        let expected = try RequestChecks.expectedVersion(request.etag, field: "etag")
        let erased = try await store.eraseCustomer(id: id, expectedVersion: expected)
        let head = try await store.changeLogHead()
        return .with {
            $0.customer = erased.message
            $0.revision = head.revision
        }
    }

    /// Every item of a listing, page by page.
    private static func all<Item>(
        filter: String,
        _ list: (ListQuery) async throws -> Page<Item>
    ) async throws -> [Item] {
        var query = ListQuery(pageSize: 1000, filter: filter, showDeleted: true)
        var items: [Item] = []
        repeat {
            let page = try await list(query)
            items += page.items
            query.pageToken = page.nextPageToken
        } while !query.pageToken.isEmpty
        return items
    }
}

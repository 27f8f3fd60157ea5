import Foundation
import Testing

@testable import CRMCore

@Suite("Store contract: every field CRMCore lists can be filtered and sorted on")
struct FilterConformance {
    /// A filter on `field` that is valid for its kind.
    static func sample(_ field: FilterField) -> String {
        switch field.kind {
        case .text: "\(field.name) = \"x\""
        case .integer: "\(field.name) > 0"
        case .boolean: "\(field.name) = true"
        case .timestamp: "\(field.name) >= \"2020-01-01T00:00:00Z\""
        case .enumeration(let labels): "\(field.name) = \(labels.keys.sorted().first ?? "")"
        case .resource(let collection): "\(field.name) = \"\(collection)/1\""
        case .tags: "\(field.name):vip"
        case .attributes: "\(field.name).tier = gold"
        }
    }

    @Test("filters on every field, and order_by on every sortable one, are answered", arguments: StoreFactory.all)
    func everyField(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let store = registry.store
        let lists: [(FilterSchema, @Sendable (ListQuery) async throws -> Int64)] = [
            (.customers, { try await store.listCustomers($0).totalSize }),
            (.orders, { try await store.listOrders($0).totalSize }),
            (.payments, { try await store.listPayments($0).totalSize }),
            (.interactions, { try await store.listInteractions($0).totalSize }),
        ]
        for (schema, list) in lists {
            for field in schema.fields {
                let filter = Self.sample(field)
                await #expect(throws: Never.self, "filter \(filter)") { _ = try await list(ListQuery(filter: filter)) }
                await #expect(throws: Never.self, "NOT \(filter)") {
                    _ = try await list(ListQuery(filter: "NOT \(filter)"))
                }
                if field.orderable {
                    await #expect(throws: Never.self, "order_by \(field.name)") {
                        _ = try await list(ListQuery(orderBy: "\(field.name) desc"))
                    }
                }
            }
        }
    }

    @Test("a field no list names is refused, naming the filter", arguments: StoreFactory.all)
    func unknownField(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let error = await #expect(throws: CRMError.self) {
            try await registry.store.listOrders(ListQuery(filter: "colour = red"))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.violations.first?.field == "filter")
    }
}

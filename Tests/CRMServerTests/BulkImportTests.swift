import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

/// A deterministic customer for bulk tests: every field derives from `index`.
func bulkCustomer(_ prefix: String, _ index: Int) -> Crm_V1_Customer {
    let key = String(format: "%@-%06d", prefix, index)
    return Fixture.customer(
        "Bulk Customer \(key)",
        email: "\(key.lowercased())@bulk.example",
        company: "Company \(index % 97)",
        city: "City \(index % 13)",
        country: "DE",
        tags: ["bulk", "group-\(index % 5)"],
        attributes: ["seq": String(index), "prefix": prefix],
        externalID: key,
        stage: .lead
    )
}

/// Whether `customer` is complete: every field `bulkCustomer` wrote is intact.
func isIntactBulkCustomer(_ customer: Crm_V1_Customer, prefix: String, index: Int) -> Bool {
    let expected = bulkCustomer(prefix, index)
    return customer.externalID == expected.externalID && customer.displayName == expected.displayName
        && customer.email == expected.email && customer.company == expected.company
        && customer.address.city == expected.address.city && customer.address.country == "DE"
        && Set(customer.tags) == Set(expected.tags) && customer.attributes == expected.attributes
        && customer.lifecycleStage == .lead && !customer.etag.isEmpty && customer.hasCreateTime
}

@Suite("Streaming import at volume")
struct BulkImportTests {
    @Test("10,000 customers in messages of 500 are all stored, listed and intact", .timeLimit(.minutes(3)))
    func tenThousand() async throws {
        try await withInProcessServer { server in
            let started = ContinuousClock.now
            let summary = try await server.customers.importCustomers(requestProducer: { writer in
                for batch in 0..<20 {
                    var message = Crm_V1_ImportCustomersRequest()
                    message.customers = (0..<500).map { bulkCustomer("BULK", batch * 500 + $0) }
                    try await writer.write(message)
                }
            })
            let elapsed = ContinuousClock.now - started
            #expect(summary.created == 10_000)
            #expect(summary.failed == 0)
            #expect(summary.batchesCommitted == 20)
            print("imported 10,000 customers in \(elapsed) (debug build)")

            let page = try await server.listCustomers(pageSize: 1000)
            #expect(page.totalSize == 10_000)
            #expect(page.customers.count == 1000)
            #expect(try await server.stats().customers == 10_000)

            for index in [0, 1, 499, 500, 4_321, 9_999] {
                let key = String(format: "BULK-%06d", index)
                let found = try await server.listCustomers(filter: "external_id = \"\(key)\"")
                let customer = try #require(found.customers.first, "\(key) missing")
                #expect(found.customers.count == 1)
                #expect(isIntactBulkCustomer(customer, prefix: "BULK", index: index), "\(customer)")
                #expect(try await server.getCustomer(customer.name) == customer)
            }
            let group = try await server.listCustomers(pageSize: 1, filter: "tags:group-3")
            #expect(group.totalSize == 2_000)

            let again = try await server.importCustomers([(0..<500).map { bulkCustomer("BULK", $0) }])
            #expect(again.unchanged == 500, "re-importing the same rows changes nothing")
        }
    }
}

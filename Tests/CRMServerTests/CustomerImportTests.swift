import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

@Suite("ImportCustomers: upsert by external_id, one transaction per batch")
struct CustomerImportTests {
    @Test("created, updated and unchanged rows are counted")
    func upsertCounts() async throws {
        try await withInProcessServer { server in
            let first = try await server.importCustomers([
                [
                    Fixture.customer("Anna", email: "anna@example.com", city: "Graz", externalID: "E-1"),
                    Fixture.customer("Ben", city: "Linz", externalID: "E-2"),
                ],
                [Fixture.customer("Cleo", tags: ["vip"], externalID: "E-3")],
            ])
            #expect(first.created == 3)
            #expect(first.updated == 0)
            #expect(first.unchanged == 0)
            #expect(first.failed == 0)
            #expect(first.batchesCommitted == 2)
            #expect(first.failures.isEmpty)

            let second = try await server.importCustomers([
                [
                    Fixture.customer("Anna", email: "anna@example.com", city: "Graz", externalID: "E-1"),
                    Fixture.customer("Ben", city: "Wien", externalID: "E-2"),
                    Fixture.customer("Dora", externalID: "E-4"),
                ]
            ])
            #expect(second.created == 1)
            #expect(second.updated == 1)
            #expect(second.unchanged == 1)
            #expect(second.failed == 0)

            let all = try await server.exportCustomers()
            #expect(all.count == 4)
            let ben = try #require(all.first { $0.externalID == "E-2" })
            #expect(ben.address.city == "Wien")
            let anna = try #require(all.first { $0.externalID == "E-1" })
            #expect(anna.email == "anna@example.com")
        }
    }

    @Test("a failing row rejects its whole batch; other batches commit; failures carry the stream index")
    func batchRejection() async throws {
        try await withInProcessServer { server in
            let summary = try await server.importCustomers([
                [Fixture.customer("Ok One", externalID: "K-1"), Fixture.customer("Ok Two", externalID: "K-2")],
                [
                    Fixture.customer("Rejected A", externalID: "R-1"),
                    Fixture.customer("Bad Email", email: "nope", externalID: "R-2"),
                    Fixture.customer("Rejected B", externalID: "R-3"),
                ],
                [Fixture.customer("Ok Three", externalID: "K-3")],
            ])
            #expect(summary.created == 3)
            #expect(summary.failed == 1)
            #expect(summary.rejected == 2, "the valid rows of the failed batch")
            #expect(summary.batchesCommitted == 2)
            let failure = try #require(summary.failures.first)
            #expect(summary.failures.count == 1)
            #expect(failure.index == 3, "0-based position in the whole stream")
            #expect(failure.externalID == "R-2")
            #expect(
                violation(failure.field, names: "email") || failure.field.hasSuffix("email"),
                "field \(failure.field)"
            )
            #expect(!failure.reason.isEmpty)

            let ids = Set(try await server.exportCustomers().map(\.externalID))
            #expect(ids == ["K-1", "K-2", "K-3"], "nothing of the failed batch was written")
        }
    }

    @Test("a name that is no customer name, duplicates of existing emails and missing names fail their rows")
    func importRowErrors() async throws {
        try await withInProcessServer { server in
            try await server.createCustomer(Fixture.customer("Taken", email: "taken@example.com", externalID: "T-0"))
            var misnamed = Fixture.customer("Misnamed")
            misnamed.name = "orders/1"
            let summary = try await server.importCustomers([
                [misnamed],
                [Fixture.customer("Email Taken", email: "taken@example.com", externalID: "T-1")],
                [Fixture.customer("", externalID: "T-2")],
            ])
            #expect(summary.failed == 3)
            #expect(summary.created == 0)
            #expect(summary.failures.map(\.index) == [0, 1, 2])
            #expect(summary.failures.count == 3)
            if summary.failures.count == 3 {
                #expect(summary.failures[0].field == "customer.name", "\(summary.failures[0])")
                #expect(summary.failures[2].field.hasSuffix("display_name"), "\(summary.failures[2])")
            }
            #expect(try await server.stats().customers == 1)
        }
    }

    @Test("atomic imports write all batches or nothing")
    func atomicImport() async throws {
        try await withInProcessServer { server in
            let failed = try await server.importCustomers(
                [
                    [Fixture.customer("A1", externalID: "A-1"), Fixture.customer("A2", externalID: "A-2")],
                    [Fixture.customer("A3", externalID: "A-3"), Fixture.customer("", externalID: "A-4")],
                ],
                atomic: true
            )
            #expect(failed.created == 0)
            #expect(failed.failed == 1)
            #expect(failed.rejected == 3)
            #expect(failed.batchesCommitted == 0)
            #expect(failed.failures.first?.index == 3)
            #expect(try await server.stats().customers == 0)

            let good = try await server.importCustomers(
                [[Fixture.customer("A1", externalID: "A-1")], [Fixture.customer("A3", externalID: "A-3")]],
                atomic: true
            )
            #expect(good.created == 2)
            #expect(try await server.stats().customers == 2)
        }
    }

    @Test("validate_only reports failures and writes nothing")
    func validateOnly() async throws {
        try await withInProcessServer { server in
            let summary = try await server.importCustomers(
                [[Fixture.customer("V1", externalID: "V-1"), Fixture.customer("V2", email: "bad", externalID: "V-2")]],
                validateOnly: true
            )
            #expect(summary.failed == 1)
            #expect(summary.failures.first?.index == 1)
            #expect(try await server.stats().customers == 0)
        }
    }
}

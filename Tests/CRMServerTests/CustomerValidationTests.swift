import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

@Suite("CustomerService rejects bad requests, naming the field, and changes nothing")
struct CustomerValidationTests {
    @Test("create: required, format and length violations are INVALID_ARGUMENT with the field")
    func createViolations() async throws {
        try await withInProcessServer { server in
            let before = try await server.stats()
            let cases: [(String, Crm_V1_Customer)] = [
                ("customer.display_name", Fixture.customer("")),
                ("customer.display_name", Fixture.customer(String(repeating: "x", count: 201))),
                ("customer.email", Fixture.customer("Bad Email", email: "not-an-email")),
                ("customer.email", Fixture.customer("Bad Email", email: "two@@example.com")),
                ("customer.tags", Fixture.customer("Bad Tag", tags: ["has space"])),
                ("customer.attributes", Fixture.customer("Bad Key", attributes: ["bad key!": "x"])),
                ("customer.address.country", Fixture.customer("Bad Country", country: "Germany")),
                ("customer.phone", Fixture.customer("Bad Phone", phone: "call me maybe")),
            ]
            for (field, customer) in cases {
                await expectRPCError(.invalidArgument, field: field, "create \(customer.displayName.prefix(20))") {
                    try await server.createCustomer(customer)
                }
            }
            var missing = Crm_V1_CreateCustomerRequest()
            missing.clearCustomer()
            await expectRPCError(.invalidArgument, field: "customer", "no customer at all") {
                try await server.customers.createCustomer(missing)
            }
            let after = try await server.stats()
            #expect(after.customers == before.customers, "rejected creates wrote nothing")
            #expect(try await server.listCustomers(showDeleted: true).totalSize == 0)
        }
    }

    @Test("every violation of one request is reported")
    func allViolationsReported() async throws {
        try await withInProcessServer { server in
            let error = await expectRPCError(.invalidArgument, field: "customer.display_name", "two bad fields") {
                try await server.createCustomer(Fixture.customer("", email: "nope"))
            }
            let fields = error.map(fieldViolations(of:)) ?? []
            #expect(fields.contains { violation($0, names: "customer.email") }, "violations: \(fields)")
        }
    }

    @Test("duplicate email (any case) and duplicate external_id are ALREADY_EXISTS")
    func duplicates() async throws {
        try await withInProcessServer { server in
            try await server.createCustomer(Fixture.customer("Original", email: "dup@example.com", externalID: "X-1"))
            await expectRPCError(.alreadyExists, "same email") {
                try await server.createCustomer(Fixture.customer("Copy", email: "dup@example.com"))
            }
            await expectRPCError(.alreadyExists, "same email, other case") {
                try await server.createCustomer(Fixture.customer("Copy", email: "DUP@Example.com"))
            }
            await expectRPCError(.alreadyExists, "same external_id") {
                try await server.createCustomer(Fixture.customer("Copy", externalID: "X-1"))
            }
            #expect(try await server.stats().customers == 1)
        }
    }

    @Test("get: malformed names are INVALID_ARGUMENT naming `name`; unknown ids are NOT_FOUND")
    func getErrors() async throws {
        try await withInProcessServer { server in
            for name in ["", "customer/1", "customers/abc", "customers/", "customers/-4", "orders/1", "customers/1/x"] {
                await expectRPCError(.invalidArgument, field: "name", "get \(name)") {
                    try await server.getCustomer(name)
                }
            }
            await expectRPCError(.notFound, "get unknown") { try await server.getCustomer("customers/999999") }
        }
    }

    @Test("list: bad page_size, page_token, filter and order_by are INVALID_ARGUMENT naming the field")
    func listErrors() async throws {
        try await withInProcessServer { server in
            try await server.createCustomer(Fixture.customer("Somebody", company: "Acme"))
            for size in [Int32(-1), Int32.min] {
                await expectRPCError(.invalidArgument, field: "page_size", "page_size \(size)") {
                    try await server.listCustomers(pageSize: size)
                }
            }
            // Above the maximum, AIP-158 coerces rather than fails: either answer is fine.
            do {
                _ = try await server.listCustomers(pageSize: 1001)
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument, "page_size 1001: \(error)")
                #expect(fieldViolations(of: error).contains { violation($0, names: "page_size") })
            }
            await expectRPCError(.invalidArgument, field: "page_token", "garbage token") {
                try await server.listCustomers(pageToken: "definitely-not-a-token")
            }
            for filter in [
                #"company = "#, #"(company = "Acme""#, #"company = "Acme" AND"#, #"company == "Acme""#, "shoe_size = 3",
                #"company = "unterminated"#,
            ] {
                await expectRPCError(.invalidArgument, field: "filter", "filter \(filter)") {
                    try await server.listCustomers(filter: filter)
                }
            }
            for orderBy in ["shoe_size", "display_name sideways", "display_name,"] {
                await expectRPCError(.invalidArgument, field: "order_by", "order_by \(orderBy)") {
                    try await server.listCustomers(orderBy: orderBy)
                }
            }
            // A filter is data, never SQL.
            let injection = try await server.listCustomers(filter: #"company = "x' OR 1=1 --""#)
            #expect(injection.customers.isEmpty)
        }
    }

    @Test("a sequence of bad requests leaves the registry exactly as it was")
    func badRequestsChangeNothing() async throws {
        try await withInProcessServer { server in
            let alice = try await server.createCustomer(
                Fixture.customer("Alice", email: "alice@example.com", externalID: "A")
            )
            try await server.createCustomer(Fixture.customer("Bob", email: "bob@example.com", externalID: "B"))
            let before = try await server.stats()
            let listBefore = try await server.exportCustomers(showDeleted: true)

            _ = try? await server.createCustomer(Fixture.customer("", email: "x@example.com"))
            _ = try? await server.createCustomer(Fixture.customer("Dup", email: "bob@example.com"))
            _ = try? await server.createCustomer(Fixture.customer("Dup", externalID: "A"))
            var update = Crm_V1_UpdateCustomerRequest()
            update.customer = alice
            update.customer.email = "broken"
            update.customer.displayName = "Changed"
            _ = try? await server.customers.updateCustomer(update)
            update.customer = alice
            update.customer.displayName = "Changed"
            update.customer.etag = "\"12345\""
            _ = try? await server.customers.updateCustomer(update)
            var delete = Crm_V1_DeleteCustomerRequest()
            delete.name = alice.name
            delete.etag = "\"12345\""
            _ = try? await server.customers.deleteCustomer(delete)
            _ = try? await server.importCustomers([
                [Fixture.customer("Imp", externalID: "I-1"), Fixture.customer("", externalID: "I-2")]
            ])

            let after = try await server.stats()
            #expect(after.customers == before.customers)
            #expect(after.deletedCustomers == before.deletedCustomers)
            let listAfter = try await server.exportCustomers(showDeleted: true)
            #expect(listAfter == listBefore, "every stored customer is byte-for-byte unchanged")
        }
    }
}

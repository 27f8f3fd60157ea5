import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

@Suite("CustomerService end to end")
struct CustomerServiceTests {
    @Test("create, then get returns what was stored")
    func createAndGet() async throws {
        try await withInProcessServer { server in
            let sent = Fixture.customer(
                "Ada Lovelace",
                email: "Ada.Lovelace@Example.COM",
                phone: "+44 20 7946 0958",
                company: "Analytical Engines Ltd",
                city: "London",
                country: "GB",
                tags: ["vip", "math"],
                attributes: ["segment": "b2b", "source": "fair-2024"],
                externalID: "ERP-1",
                stage: .customer,
                since: 1_600_000_000
            )
            let created = try await server.createCustomer(sent)
            #expect(created.name.wholeMatch(of: /customers\/[1-9][0-9]*/) != nil, "name \(created.name)")
            #expect(created.displayName == "Ada Lovelace")
            #expect(created.email == "ada.lovelace@example.com", "email is stored lower-cased")
            #expect(created.phone == "+442079460958", "phone normalised to E.164")
            #expect(created.company == "Analytical Engines Ltd")
            #expect(created.address.city == "London")
            #expect(created.address.country == "GB")
            #expect(Set(created.tags) == ["vip", "math"])
            #expect(created.attributes == ["segment": "b2b", "source": "fair-2024"])
            #expect(created.externalID == "ERP-1")
            #expect(created.lifecycleStage == .customer)
            #expect(created.customerSince.seconds == 1_600_000_000)
            #expect(created.hasCreateTime && created.createTime.seconds > 1_700_000_000)
            #expect(created.hasUpdateTime)
            #expect(!created.hasDeleteTime)
            #expect(created.etag.wholeMatch(of: /(W\/)?"[^"]+"/) != nil, "etag \(created.etag)")

            let read = try await server.getCustomer(created.name)
            #expect(read == created)
        }
    }

    @Test("phone numbers in national format are normalised with the address country")
    func phoneNormalisation() async throws {
        try await withInProcessServer { server in
            let created = try await server.createCustomer(
                Fixture.customer("Hans Berliner", phone: "030 1234567", city: "Berlin", country: "DE")
            )
            #expect(created.phone == "+49301234567")
        }
    }

    @Test("list pages through every customer with page_token, in order_by order, with total_size")
    func listPaging() async throws {
        try await withInProcessServer { server in
            var batch = Crm_V1_BatchCreateCustomersRequest()
            batch.requests = (0..<25).map { index in
                var request = Crm_V1_CreateCustomerRequest()
                request.customer = Fixture.customer(String(format: "Pager %02d", index))
                return request
            }
            _ = try await server.customers.batchCreateCustomers(batch)

            let first = try await server.listCustomers(pageSize: 10, orderBy: "display_name")
            #expect(first.customers.count == 10)
            #expect(first.totalSize == 25)
            #expect(!first.nextPageToken.isEmpty)

            let (all, pages) = try await server.listAllCustomers(pageSize: 10, orderBy: "display_name")
            #expect(pages == 3)
            #expect(all.map(\.displayName) == (0..<25).map { String(format: "Pager %02d", $0) })
            #expect(Set(all.map(\.name)).count == 25, "no customer twice")

            let last = try await server.listCustomers(
                pageSize: 10,
                pageToken: first.nextPageToken,
                orderBy: "display_name"
            )
            #expect(last.totalSize == 25, "total_size counts all pages, not this one")

            let descending = try await server.listCustomers(pageSize: 3, orderBy: "display_name desc")
            #expect(descending.customers.map(\.displayName) == ["Pager 24", "Pager 23", "Pager 22"])

            let defaultSize = try await server.listCustomers()
            #expect(defaultSize.customers.count == 25, "page_size 0 means 50")
            #expect(defaultSize.nextPageToken.isEmpty)
        }
    }

    @Test("list filters with comparisons, has (:), AND, OR, NOT and parentheses")
    func listFilter() async throws {
        try await withInProcessServer { server in
            let people: [(String, String, [String])] = [
                ("Alice", "Acme", ["vip"]),
                ("Bob", "Acme", []),
                ("Carol", "Globex", ["vip", "newsletter"]),
                ("Dave", "Globex", []),
                ("Erin", "Initech", ["newsletter"]),
            ]
            for (name, company, tags) in people {
                try await server.createCustomer(Fixture.customer(name, company: company, tags: tags))
            }
            func names(_ filter: String) async throws -> [String] {
                let page = try await server.listCustomers(filter: filter, orderBy: "display_name")
                #expect(page.totalSize == Int64(page.customers.count), "total_size for \(filter)")
                return page.customers.map(\.displayName)
            }
            #expect(try await names(#"company = "Acme""#) == ["Alice", "Bob"])
            #expect(try await names(#"company != "Acme""#) == ["Carol", "Dave", "Erin"])
            #expect(try await names("tags:vip") == ["Alice", "Carol"])
            #expect(try await names(#"company = "Acme" AND tags:vip"#) == ["Alice"])
            #expect(try await names(#"company = "Initech" OR tags:vip"#) == ["Alice", "Carol", "Erin"])
            #expect(try await names(#"(company = "Acme" OR company = "Globex") AND NOT tags:vip"#) == ["Bob", "Dave"])
            #expect(try await names(#"display_name > "C""#) == ["Carol", "Dave", "Erin"])
        }
    }

    @Test("update applies only the masked fields, changes the etag, and rejects a stale etag with ABORTED")
    func updateWithMaskAndEtag() async throws {
        try await withInProcessServer { server in
            let original = try await server.createCustomer(
                Fixture.customer(
                    "Grace Hopper",
                    email: "grace@navy.example",
                    city: "Arlington",
                    tags: ["navy"],
                    attributes: ["rank": "captain"]
                )
            )
            func update(_ customer: Crm_V1_Customer, _ paths: [String]) async throws -> Crm_V1_Customer {
                var request = Crm_V1_UpdateCustomerRequest()
                request.customer = customer
                request.updateMask.paths = paths
                return try await server.customers.updateCustomer(request)
            }

            var change = Fixture.customer("Ignored", email: "ignored@example.com", city: "Washington")
            change.name = original.name
            change.etag = original.etag
            let moved = try await update(change, ["address.city"])
            #expect(moved.address.city == "Washington")
            #expect(moved.email == "grace@navy.example", "email is not in the mask")
            #expect(moved.displayName == "Grace Hopper", "display_name is not in the mask")
            #expect(moved.etag != original.etag)
            #expect(moved.updateTime.seconds >= original.updateTime.seconds)
            #expect(try await server.getCustomer(original.name) == moved)

            // The etag the change was based on is now stale.
            var stale = change
            stale.address.city = "Boston"
            await expectRPCError(.aborted, "stale etag") { try await update(stale, ["address.city"]) }
            #expect(try await server.getCustomer(original.name).address.city == "Washington")

            var tags = Crm_V1_Customer()
            tags.name = original.name
            tags.etag = moved.etag
            tags.tags = ["cobol", "navy", "cobol"]
            tags.attributes = ["rank": "rear-admiral", "born": "1906"]
            let retagged = try await update(tags, ["tags", "attributes"])
            #expect(Set(retagged.tags) == ["cobol", "navy"])
            #expect(retagged.tags.count == 2, "tags are unique")
            #expect(retagged.attributes == ["rank": "rear-admiral", "born": "1906"])
            #expect(retagged.address.city == "Washington")

            // Without an etag the update is unconditional.
            var noEtag = Crm_V1_Customer()
            noEtag.name = original.name
            noEtag.email = "GRACE.HOPPER@navy.example"
            let reEmailed = try await update(noEtag, ["email"])
            #expect(reEmailed.email == "grace.hopper@navy.example")
        }
    }

    @Test("`*` replaces every writable field; an empty mask writes only the fields the request sets (AIP-134)")
    func updateFullReplacement() async throws {
        try await withInProcessServer { server in
            func replace(_ mask: [String]) async throws -> (before: Crm_V1_Customer, after: Crm_V1_Customer) {
                let original = try await server.createCustomer(
                    Fixture.customer(
                        "Grace Hopper \(mask)",
                        email: "grace\(mask.count)@navy.example",
                        city: "Arlington",
                        tags: ["navy"],
                        attributes: ["rank": "captain"]
                    )
                )
                var full = Fixture.customer("Grace B. Hopper \(mask)", company: "US Navy")
                full.name = original.name
                var request = Crm_V1_UpdateCustomerRequest()
                request.customer = full
                request.updateMask.paths = mask
                return (original, try await server.customers.updateCustomer(request))
            }
            let (original, replaced) = try await replace(["*"])
            #expect(replaced.displayName == "Grace B. Hopper [\"*\"]")
            #expect(replaced.company == "US Navy")
            #expect(replaced.email.isEmpty, "email cleared")
            #expect(replaced.address.city.isEmpty, "address cleared")
            #expect(replaced.tags.isEmpty, "tags cleared")
            #expect(replaced.attributes.isEmpty, "attributes cleared")
            #expect(replaced.createTime == original.createTime, "create_time is output only")

            let (before, patched) = try await replace([])
            #expect(patched.displayName == "Grace B. Hopper []")
            #expect(patched.company == "US Navy")
            #expect(patched.email == before.email, "unset email kept")
            #expect(patched.address.city == "Arlington", "unset address kept")
            #expect(patched.tags == ["navy"], "unset tags kept")
            #expect(patched.attributes == ["rank": "captain"], "unset attributes kept")
        }
    }

    @Test("bad updates: unknown mask path, invalid value, unknown customer, email taken")
    func updateErrors() async throws {
        try await withInProcessServer { server in
            let grace = try await server.createCustomer(Fixture.customer("Grace", email: "grace@example.com"))
            try await server.createCustomer(Fixture.customer("Linus", email: "linus@example.com"))
            func update(_ customer: Crm_V1_Customer, _ paths: [String]) async throws -> Crm_V1_Customer {
                var request = Crm_V1_UpdateCustomerRequest()
                request.customer = customer
                request.updateMask.paths = paths
                return try await server.customers.updateCustomer(request)
            }
            var change = grace
            change.email = "not-an-email"
            await expectRPCError(.invalidArgument, field: "customer.email", "invalid email") {
                try await update(change, ["email"])
            }
            await expectRPCError(.invalidArgument, field: "update_mask", "unknown mask path") {
                try await update(grace, ["shoe_size"])
            }
            change = grace
            change.displayName = ""
            await expectRPCError(.invalidArgument, field: "customer.display_name", "display_name emptied") {
                try await update(change, ["display_name"])
            }
            change = grace
            change.email = "linus@example.com"
            await expectRPCError(.alreadyExists, "email of another customer") { try await update(change, ["email"]) }
            change = grace
            change.name = "customers/987654"
            await expectRPCError(.notFound, "unknown customer") { try await update(change, ["display_name"]) }

            let after = try await server.getCustomer(grace.name)
            #expect(after == grace, "failed updates change nothing, not even the etag")
        }
    }

    @Test("soft delete hides from list unless show_deleted; get still answers; undelete restores")
    func deleteAndUndelete() async throws {
        try await withInProcessServer { server in
            let keep = try await server.createCustomer(Fixture.customer("Keep", email: "keep@example.com"))
            let gone = try await server.createCustomer(Fixture.customer("Gone", email: "gone@example.com"))

            var stale = Crm_V1_DeleteCustomerRequest()
            stale.name = gone.name
            stale.etag = "\"999\""
            await expectRPCError(.aborted, "delete with stale etag") {
                try await server.customers.deleteCustomer(stale)
            }

            var delete = Crm_V1_DeleteCustomerRequest()
            delete.name = gone.name
            delete.etag = gone.etag
            let deleted = try await server.customers.deleteCustomer(delete)
            #expect(deleted.hasDeleteTime)
            #expect(deleted.etag != gone.etag)

            let visible = try await server.listCustomers()
            #expect(visible.customers.map(\.name) == [keep.name])
            #expect(visible.totalSize == 1)
            let withDeleted = try await server.listCustomers(showDeleted: true)
            #expect(Set(withDeleted.customers.map(\.name)) == [keep.name, gone.name])
            #expect(withDeleted.totalSize == 2)

            let read = try await server.getCustomer(gone.name)
            #expect(read.hasDeleteTime, "get returns deleted customers with delete_time")

            let stats = try await server.stats()
            #expect(stats.deletedCustomers == 1)

            var deleteUnknown = Crm_V1_DeleteCustomerRequest()
            deleteUnknown.name = "customers/424242"
            await expectRPCError(.notFound, "delete unknown") {
                try await server.customers.deleteCustomer(deleteUnknown)
            }

            var undelete = Crm_V1_UndeleteCustomerRequest()
            undelete.name = gone.name
            undelete.etag = deleted.etag
            let back = try await server.customers.undeleteCustomer(undelete)
            #expect(!back.hasDeleteTime)
            #expect(try await server.listCustomers().totalSize == 2)
            #expect(try await server.stats().deletedCustomers == 0)
        }
    }

    @Test("a deleted customer's email is free again; undeleting into a taken email fails")
    func deletedEmailIsFree() async throws {
        try await withInProcessServer { server in
            let first = try await server.createCustomer(Fixture.customer("First", email: "shared@example.com"))
            var delete = Crm_V1_DeleteCustomerRequest()
            delete.name = first.name
            _ = try await server.customers.deleteCustomer(delete)

            let second = try await server.createCustomer(Fixture.customer("Second", email: "shared@example.com"))
            #expect(second.email == "shared@example.com")

            var undelete = Crm_V1_UndeleteCustomerRequest()
            undelete.name = first.name
            await expectRPCError(oneOf: [.alreadyExists, .failedPrecondition], "undelete into a taken email") {
                try await server.customers.undeleteCustomer(undelete)
            }
            #expect(try await server.getCustomer(first.name).hasDeleteTime)
        }
    }

    @Test("search matches each word as a prefix over name, email, phone and company")
    func search() async throws {
        try await withInProcessServer { server in
            let margarethe = try await server.createCustomer(
                Fixture.customer(
                    "Margarethe Lindqvist",
                    email: "m.lindqvist@nordwind.example",
                    company: "Nordwind Handel"
                )
            )
            let marcus = try await server.createCustomer(
                Fixture.customer(
                    "Marcus Aurelius",
                    email: "marcus@rome.example",
                    phone: "+390612345678",
                    company: "Stoa"
                )
            )
            try await server.createCustomer(Fixture.customer("Zeno", company: "Stoa"))

            func search(_ query: String, showDeleted: Bool = false) async throws -> Set<String> {
                var request = Crm_V1_SearchCustomersRequest()
                request.query = query
                request.showDeleted = showDeleted
                return Set(try await server.customers.searchCustomers(request).customers.map(\.name))
            }
            #expect(try await search("marg lind") == [margarethe.name])
            #expect(try await search("Mar") == [margarethe.name, marcus.name])
            #expect(try await search("nordw") == [margarethe.name], "company prefix")
            #expect(try await search("rome") == [marcus.name], "email word")
            #expect(try await search("stoa marc") == [marcus.name], "every word must match")
            #expect(try await search("quux").isEmpty)

            var delete = Crm_V1_DeleteCustomerRequest()
            delete.name = marcus.name
            _ = try await server.customers.deleteCustomer(delete)
            #expect(try await search("marcus").isEmpty, "deleted customers are not found")
            #expect(try await search("marcus", showDeleted: true) == [marcus.name])
        }
    }

    @Test("batch create writes all customers or none")
    func batchCreate() async throws {
        try await withInProcessServer { server in
            func batch(_ customers: [Crm_V1_Customer]) -> Crm_V1_BatchCreateCustomersRequest {
                var request = Crm_V1_BatchCreateCustomersRequest()
                request.requests = customers.map { customer in
                    var one = Crm_V1_CreateCustomerRequest()
                    one.customer = customer
                    return one
                }
                return request
            }
            let created = try await server.customers.batchCreateCustomers(
                batch([
                    Fixture.customer("One", email: "one@example.com"),
                    Fixture.customer("Two", email: "two@example.com"),
                    Fixture.customer("Three"),
                ])
            )
            #expect(created.customers.map(\.displayName) == ["One", "Two", "Three"])
            #expect(created.customers.allSatisfy { $0.name.hasPrefix("customers/") })

            await expectRPCError(.invalidArgument, field: "requests[1].customer.display_name", "second has no name") {
                try await server.customers.batchCreateCustomers(
                    batch([Fixture.customer("Four"), Fixture.customer(""), Fixture.customer("Six")])
                )
            }
            await expectRPCError(.alreadyExists, "email already taken") {
                try await server.customers.batchCreateCustomers(
                    batch([Fixture.customer("Seven"), Fixture.customer("Eight", email: "one@example.com")])
                )
            }
            await expectRPCError(oneOf: [.alreadyExists, .invalidArgument], "same email twice in one batch") {
                try await server.customers.batchCreateCustomers(
                    batch([
                        Fixture.customer("Nine", email: "twin@example.com"),
                        Fixture.customer("Ten", email: "twin@example.com"),
                    ])
                )
            }
            let all = try await server.listCustomers(orderBy: "display_name")
            #expect(all.customers.map(\.displayName) == ["One", "Three", "Two"], "failed batches wrote nothing")
        }
    }

    @Test("export streams every non-deleted customer; show_deleted and filter apply")
    func export() async throws {
        try await withInProcessServer { server in
            var names: [String] = []
            for index in 0..<120 {
                let customer = try await server.createCustomer(
                    Fixture.customer("Export \(index)", company: index % 3 == 0 ? "Acme" : "Other")
                )
                names.append(customer.name)
            }
            var delete = Crm_V1_DeleteCustomerRequest()
            delete.name = names[1]
            _ = try await server.customers.deleteCustomer(delete)

            let exported = try await server.exportCustomers()
            #expect(Set(exported.map(\.name)) == Set(names).subtracting([names[1]]))
            #expect(exported.count == 119)
            let withDeleted = try await server.exportCustomers(showDeleted: true)
            #expect(withDeleted.count == 120)
            let acme = try await server.exportCustomers(filter: #"company = "Acme""#)
            #expect(acme.count == 40)
            #expect(acme.allSatisfy { $0.company == "Acme" })
            let read = try await server.getCustomer(names[5])
            #expect(exported.first { $0.name == names[5] } == read, "exported customers are complete")
        }
    }
}

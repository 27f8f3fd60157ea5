import Foundation
import Testing

@testable import CRMCore

@Suite("Store contract: customers")
struct CustomerStoreConformance {
    @Test("create assigns ids, times and version 1; get reads it back", arguments: StoreFactory.all)
    func createAndGet(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let created = try await registry.store.createCustomers([
            Customer(
                displayName: "Ada",
                email: "ada@example.com",
                tags: ["vip"],
                attributes: ["tier": "gold"],
                externalID: "C1"
            )
        ])[0]
        #expect(created.id > 0)
        #expect(created.version == 1)
        #expect(created.etag == "\"1\"")
        let read = try await registry.store.customer(id: created.id)
        #expect(read == created)
        await #expect(throws: CRMError.notFound("customers/999")) { try await registry.store.customer(id: 999) }
    }

    @Test("a taken email or external id is ALREADY_EXISTS, and the batch writes nothing", arguments: StoreFactory.all)
    func uniqueKeys(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        _ = try await registry.store.createCustomers([registry.customer("A", email: "a@example.com", externalID: "X")])
        let duplicateEmail = await #expect(throws: CRMError.self) {
            try await registry.store.createCustomers([
                registry.customer("B", email: "b@example.com"), registry.customer("C", email: "a@example.com"),
            ])
        }
        #expect(duplicateEmail?.code == .alreadyExists)
        #expect(duplicateEmail?.violations.first?.field == "requests[1].customer.email")
        let duplicateExternal = await #expect(throws: CRMError.self) {
            try await registry.store.createCustomers([registry.customer("D", externalID: "X")])
        }
        #expect(duplicateExternal?.code == .alreadyExists)
        #expect(try await registry.store.statistics().customers == 1)
    }

    @Test("a deleted customer frees its email; undelete refuses when it is taken again", arguments: StoreFactory.all)
    func softDelete(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let first = try await registry.store.createCustomers([registry.customer("A", email: "a@example.com")])[0]
        let deleted = try await registry.store.deleteCustomer(id: first.id, expectedVersion: 1)
        #expect(deleted.deleteTime != nil)
        #expect(deleted.version == 2)
        #expect(try await registry.store.listCustomers(ListQuery()).items.isEmpty)
        #expect(try await registry.store.listCustomers(ListQuery(showDeleted: true)).items.map(\.id) == [first.id])
        await #expect(throws: CRMError.self) {
            try await registry.store.deleteCustomer(id: first.id, expectedVersion: nil)
        }

        _ = try await registry.store.createCustomers([registry.customer("B", email: "a@example.com")])
        let conflict = await #expect(throws: CRMError.self) {
            try await registry.store.undeleteCustomer(id: first.id, expectedVersion: nil)
        }
        #expect(conflict?.code == .alreadyExists)
    }

    @Test("a stale etag is ABORTED and changes nothing", arguments: StoreFactory.all)
    func staleEtag(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let created = try await registry.store.createCustomers([registry.customer("A")])[0]
        let updated = try await registry.store.updateCustomer(id: created.id, expectedVersion: 1) {
            $0.displayName = "B"
        }
        #expect(updated.version == 2)
        let stale = await #expect(throws: CRMError.self) {
            try await registry.store.updateCustomer(id: created.id, expectedVersion: 1) { $0.displayName = "C" }
        }
        #expect(stale?.code == .aborted)
        #expect(try await registry.store.customer(id: created.id).displayName == "B")
    }

    @Test("keyset pages walk the whole list once, in order, for several orders", arguments: StoreFactory.all)
    func paging(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let names = [
            "delta", "alpha", "charlie", "bravo", "echo", "alpha", "foxtrot", "golf", "alpha", "hotel", "india",
        ]
        _ = try await registry.store.createCustomers(names.map { registry.customer($0) })
        for (orderBy, expected) in [
            ("", Array(1...Int64(names.count))),
            (
                "display_name",
                names.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }.map {
                    Int64($0.offset + 1)
                }
            ),
            (
                "display_name desc",
                names.enumerated().sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
                    .map { Int64($0.offset + 1) }
            ),
        ] {
            var query = ListQuery(pageSize: 3, orderBy: orderBy)
            var seen: [Int64] = []
            repeat {
                let page = try await registry.store.listCustomers(query)
                #expect(page.totalSize == Int64(names.count))
                #expect(page.items.count <= 3)
                seen += page.items.map(\.id)
                query.pageToken = page.nextPageToken
            } while !query.pageToken.isEmpty
            #expect(seen == expected, "order_by \(orderBy)")
        }
    }

    @Test("a page token is refused for a different query", arguments: StoreFactory.all)
    func tokenBoundToQuery(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        _ = try await registry.store.createCustomers((1...5).map { registry.customer("c\($0)") })
        let page = try await registry.store.listCustomers(ListQuery(pageSize: 2))
        let error = await #expect(throws: CRMError.self) {
            try await registry.store.listCustomers(
                ListQuery(pageSize: 2, pageToken: page.nextPageToken, orderBy: "display_name")
            )
        }
        #expect(error?.violations.first?.field == "page_token")
        await #expect(throws: CRMError.self) {
            try await registry.store.listCustomers(ListQuery(pageToken: "garbage!"))
        }
    }

    @Test("search matches word prefixes over name, email, phone and company", arguments: StoreFactory.all)
    func search(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        _ = try await registry.store.createCustomers([
            Customer(displayName: "Johanna Schmidt", email: "jo@acme.example"),
            Customer(displayName: "Peter Johnson", company: "Globex"),
            Customer(displayName: "Zed", phone: "+4930123456"),
        ])
        #expect(
            try await registry.store.searchCustomers(SearchQuery(text: "joh")).items.map(\.displayName).sorted() == [
                "Johanna Schmidt", "Peter Johnson",
            ]
        )
        #expect(
            try await registry.store.searchCustomers(SearchQuery(text: "glob")).items.map(\.displayName) == [
                "Peter Johnson"
            ]
        )
        #expect(
            try await registry.store.searchCustomers(SearchQuery(text: "acme jo")).items.map(\.displayName) == [
                "Johanna Schmidt"
            ]
        )
        #expect(try await registry.store.searchCustomers(SearchQuery(text: "4930")).items.map(\.displayName) == ["Zed"])
        #expect(try await registry.store.searchCustomers(SearchQuery(text: "\"joh*(")).totalSize == 2)
        await #expect(throws: CRMError.self) { try await registry.store.searchCustomers(SearchQuery(text: " -- ")) }
    }

    @Test("search pages are full and skip deleted customers, however many there are", arguments: StoreFactory.all)
    func searchSkipsDeleted(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let created = try await registry.store.createCustomers((1...30).map { registry.customer("Mara \($0)") })
        // Delete every third customer, among them the best-ranked ones.
        for customer in created where customer.id % 3 == 0 {
            _ = try await registry.store.deleteCustomer(id: customer.id, expectedVersion: nil)
        }
        var query = SearchQuery(text: "mara", pageSize: 7)
        var seen: [Int64] = []
        repeat {
            let page = try await registry.store.searchCustomers(query)
            #expect(page.totalSize == 20)
            #expect(page.items.count == 7 || page.nextPageToken.isEmpty, "only the last page may be short")
            seen += page.items.map(\.id)
            query.pageToken = page.nextPageToken
        } while !query.pageToken.isEmpty
        #expect(seen.count == 20)
        #expect(Set(seen).count == 20, "no customer twice")
        #expect(seen.allSatisfy { $0 % 3 != 0 }, "no deleted customer")
        let withDeleted = try await registry.store.searchCustomers(
            SearchQuery(text: "mara", pageSize: 100, showDeleted: true)
        )
        #expect(withDeleted.items.count == 30)
        #expect(withDeleted.totalSize == 30)
    }

    @Test("an import batch with one failing row writes nothing and names the row", arguments: StoreFactory.all)
    func importRollsBackBatch(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        _ = try await registry.store.createCustomers([
            registry.customer("Taken", email: "taken@example.com", externalID: "T")
        ])
        let rows: [ImportRow<Customer>] = [
            ImportRow(index: 0, externalID: "A", value: .success(registry.customer("A", externalID: "A"))),
            ImportRow(
                index: 1,
                externalID: "B",
                value: .success(registry.customer("B", email: "taken@example.com", externalID: "B"))
            ),
            ImportRow(index: 2, externalID: "C", value: .failure(.invalid("customer.display_name", "is required"))),
        ]
        let outcome = try await registry.store.importCustomers(rows, options: ImportOptions())
        #expect(outcome.failed == 2)
        #expect(outcome.rejected == 1)
        #expect(outcome.created == 0)
        #expect(outcome.batchesCommitted == 0)
        #expect(outcome.failures.map(\.index) == [1, 2])
        #expect(outcome.failures.map(\.field) == ["customer.email", "customer.display_name"])
        #expect(try await registry.store.statistics().customers == 1)
    }

    @Test(
        "import upserts by external id: created, updated, unchanged; validate-only writes nothing",
        arguments: StoreFactory.all
    )
    func importUpserts(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        func rows(_ customers: [Customer]) -> [ImportRow<Customer>] {
            customers.enumerated().map {
                ImportRow(index: Int64($0.offset), externalID: $0.element.externalID, value: .success($0.element))
            }
        }
        let dryRun = try await registry.store.importCustomers(
            rows([registry.customer("A", externalID: "A")]),
            options: ImportOptions(validateOnly: true)
        )
        #expect(dryRun.created == 1)
        #expect(dryRun.batchesCommitted == 0)
        #expect(try await registry.store.statistics().customers == 0)

        let first = try await registry.store.importCustomers(
            rows([registry.customer("A", externalID: "A"), registry.customer("B", externalID: "B")]),
            options: ImportOptions()
        )
        #expect((first.created, first.updated, first.unchanged, first.batchesCommitted) == (2, 0, 0, 1))
        let second = try await registry.store.importCustomers(
            rows([registry.customer("A", externalID: "A"), registry.customer("B2", externalID: "B")]),
            options: ImportOptions()
        )
        #expect((second.created, second.updated, second.unchanged) == (0, 1, 1))
        let page = try await registry.store.listCustomers(ListQuery(orderBy: "display_name"))
        #expect(page.items.map(\.displayName) == ["A", "B2"])
        #expect(page.items.map(\.version) == [1, 2])
    }

    @Test(
        "a row without external id is keyed by its id: unchanged, updated, or new when the id is not here",
        arguments: StoreFactory.all
    )
    func importByID(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        let made = try await registry.store.createCustomers([
            registry.customer("Plain", email: "plain@example.com"), registry.customer("Keyed", externalID: "K"),
        ])
        func row(_ index: Int64, _ customer: Customer, id: Int64) -> ImportRow<Customer> {
            var keyed = customer
            keyed.id = id
            return ImportRow(index: index, externalID: "", value: .success(keyed))
        }
        let same = try await registry.store.importCustomers(
            [row(0, registry.customer("Plain", email: "plain@example.com"), id: made[0].id)],
            options: ImportOptions()
        )
        #expect((same.created, same.updated, same.unchanged, same.failed) == (0, 0, 1, 0))

        let renamed = try await registry.store.importCustomers(
            [
                row(0, registry.customer("Plainer", email: "plain@example.com"), id: made[0].id),
                row(1, registry.customer("Elsewhere"), id: 9_999),
                row(2, registry.customer("Anonymous"), id: 0),
            ],
            options: ImportOptions()
        )
        #expect((renamed.created, renamed.updated, renamed.unchanged, renamed.failed) == (2, 1, 0, 0))
        #expect(try await registry.store.customer(id: made[0].id).displayName == "Plainer")
        await #expect(throws: CRMError.self) { try await registry.store.customer(id: 9_999) }

        // The id of a customer that has an external id is not enough: the row must carry it.
        let unkeyed = try await registry.store.importCustomers(
            [row(0, registry.customer("Keyed?"), id: made[1].id)],
            options: ImportOptions()
        )
        #expect(unkeyed.failed == 1)
        #expect(unkeyed.failures.first?.field == "customer.external_id")
        #expect(try await registry.store.customer(id: made[1].id).displayName == "Keyed")
        #expect(try await registry.store.statistics().customers == 4)
    }

    @Test(
        "search finds a phone number as people type it: national, international, grouped",
        arguments: StoreFactory.all
    )
    func phoneSearch(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        var hamburg = registry.customer("Hamburg Office")
        hamburg.phone = "+49402007233"
        var boston = registry.customer("Boston Office")
        boston.phone = "+16175550123"
        var local = registry.customer("Local Desk")
        local.phone = "2007233"
        _ = try await registry.store.createCustomers([hamburg, boston, local])
        func found(_ text: String) async throws -> [String] {
            try await registry.store.searchCustomers(SearchQuery(text: text)).items.map(\.displayName).sorted()
        }
        for typed in ["040 2007233", "(040) 200-7233", "+49 40 2007233", "+49402007233", "0049402007233", "40 2007233"]
        {
            #expect(try await found(typed) == ["Hamburg Office"], "\(typed)")
        }
        for typed in ["617 555 0123", "(617) 555-0123", "+1 617-555-0123", "1 617 555 0123"] {
            #expect(try await found(typed) == ["Boston Office"], "\(typed)")
        }
        #expect(try await found("200 7233") == ["Local Desk"], "digits alone, as stored")
        #expect(try await found("030 2007233").isEmpty, "another area code")
        #expect(try await found("Hamburg 040") == ["Hamburg Office"], "with a word, each group is a prefix")
        #expect(try await found("Hamburg 030").isEmpty)
    }

    @Test(
        "customers sort and filter by customer_since and by what they bought, across pages",
        arguments: StoreFactory.all
    )
    func derivedSorting(_ factory: StoreFactory) async throws {
        let registry = try await factory.make()
        func customer(_ name: String, since: Double?) -> Customer {
            var made = registry.customer(name)
            made.customerSince = since.map { Date(timeIntervalSince1970: $0 * 86_400) }
            return made
        }
        // a: since day 30, two purchases 10 + 5; b: no since, one purchase 40 and one cancelled 1000;
        // c: since day 10, nothing; d: since day 20, one purchase 1.
        let made = try await registry.store.createCustomers([
            customer("a", since: 30), customer("b", since: nil), customer("c", since: 10), customer("d", since: 20),
        ])
        func buy(_ who: Int, _ minor: Int64, day: Double, status: OrderStatus = .completed) async throws {
            _ = try await registry.store.createOrder(
                Order(
                    customerID: made[who].id,
                    status: status,
                    currencyCode: "EUR",
                    lineItems: [LineItem(productName: "x", category: "x", quantity: 1, unitPriceMinor: minor)],
                    orderTime: Date(timeIntervalSince1970: day * 86_400)
                )
            )
        }
        try await buy(0, 1000, day: 40)
        try await buy(0, 500, day: 50)
        try await buy(1, 4000, day: 45)
        try await buy(1, 100_000, day: 60, status: .cancelled)
        try await buy(3, 100, day: 70)
        func names(_ orderBy: String, filter: String = "") async throws -> [String] {
            var query = ListQuery(pageSize: 1, filter: filter, orderBy: orderBy)
            var seen: [String] = []
            repeat {
                let page = try await registry.store.listCustomers(query)
                seen += page.items.map(\.displayName)
                query.pageToken = page.nextPageToken
            } while !query.pageToken.isEmpty
            return seen
        }
        #expect(try await names("customer_since") == ["b", "c", "d", "a"], "unset first, then by time")
        #expect(try await names("customer_since desc") == ["a", "d", "c", "b"])
        #expect(try await names("total_spend_minor desc") == ["b", "a", "d", "c"], "the cancelled order is no spend")
        #expect(try await names("order_count desc, display_name") == ["a", "b", "d", "c"])
        #expect(try await names("last_order_time desc") == ["d", "a", "b", "c"], "never bought: last")
        #expect(try await names("display_name", filter: "order_count >= 2") == ["a"])
        #expect(try await names("display_name", filter: "total_spend_minor > 1000") == ["a", "b"])
        #expect(try await names("display_name", filter: "-last_order_time:*") == ["c"])
    }
}

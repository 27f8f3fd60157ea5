import CRMCore
import Foundation
import Testing

@Suite("Customer validation")
struct CustomerValidationTests {
    /// A fixed clock, so that the time rules do not depend on when the tests run.
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("normalises every client-writable field")
    func normalises() throws {
        let customer = Customer(
            displayName: "  Anna Schmidt ",
            email: " Anna.Schmidt@Example.DE ",
            phone: "030 1234567",
            company: " Schmidt GmbH ",
            address: PostalAddress(
                street: " Hauptstr. 1 ",
                city: " Berlin ",
                region: " BE ",
                postalCode: " 10115 ",
                country: "de"
            ),
            tags: ["VIP", "newsletter", "vip", " B2B "],
            attributes: ["tier": "  gold  ", "crm.source": "import"],
            externalID: " SAP-000123 ",
            lifecycleStage: .customer,
            customerSince: now.addingTimeInterval(-86_400 * 365)
        )
        let validated = try customer.validated(field: "customer", now: now)
        #expect(validated.displayName == "Anna Schmidt")
        #expect(validated.email == "anna.schmidt@example.de")
        #expect(validated.phone == "+49301234567")
        #expect(validated.company == "Schmidt GmbH")
        #expect(
            validated.address
                == PostalAddress(
                    street: "Hauptstr. 1",
                    city: "Berlin",
                    region: "BE",
                    postalCode: "10115",
                    country: "DE"
                )
        )
        #expect(validated.tags == ["b2b", "newsletter", "vip"])
        #expect(validated.attributes == ["tier": "gold", "crm.source": "import"])
        #expect(validated.externalID == "SAP-000123")
        #expect(validated.lifecycleStage == .customer)
        #expect(validated.customerSince == customer.customerSince)
    }

    @Test("a customer with only a name is valid")
    func minimal() throws {
        let validated = try Customer(displayName: "Bob").validated(field: "customer", now: now)
        #expect(validated == Customer(displayName: "Bob"))
    }

    @Test("reports every wrong field, with its path, in one error")
    func everyViolation() throws {
        let customer = Customer(
            displayName: "  ",
            email: "anna@",
            phone: "12",
            company: String(repeating: "c", count: 201),
            address: PostalAddress(
                street: String(repeating: "s", count: 201),
                city: String(repeating: "c", count: 101),
                region: String(repeating: "r", count: 101),
                postalCode: String(repeating: "9", count: 21),
                country: "XX"
            ),
            tags: ["ok", "VIP", "bad tag", ""],
            attributes: ["bad key": "value", "tier": "gold\u{7}", "fine": "yes"],
            externalID: "a b",
            customerSince: Date(timeIntervalSince1970: -2_300_000_000)
        )
        let error = #expect(throws: CRMError.self) { try customer.validated(field: "customer", now: now) }
        #expect(error?.code == .invalidArgument)
        let fields = error?.violations.map(\.field).sorted()
        #expect(
            fields
                == [
                    "customer.address.city",
                    "customer.address.country",
                    "customer.address.postal_code",
                    "customer.address.region",
                    "customer.address.street",
                    "customer.attributes[\"bad key\"]",
                    "customer.attributes[\"tier\"]",
                    "customer.company",
                    "customer.customer_since",
                    "customer.display_name",
                    "customer.email",
                    "customer.external_id",
                    "customer.phone",
                    "customer.tags[2]",
                    "customer.tags[3]",
                ]
        )
        #expect(error?.message.contains("customer.display_name: is required") == true)
        #expect(error?.message.contains("customer.address.postal_code: must be at most 20 characters (got 21)") == true)
    }

    @Test("paths start with the batch row's prefix")
    func batchPrefix() throws {
        let customer = Customer(displayName: "Ok", email: "no-at-sign", tags: ["fine", "not fine"])
        let error = #expect(throws: CRMError.self) { try customer.validated(field: "customers[3]", now: now) }
        #expect(error?.violations.map(\.field) == ["customers[3].email", "customers[3].tags[1]"])
    }

    @Test("normalises the phone in the customer's country")
    func phoneUsesCountry() throws {
        let american = Customer(displayName: "Sam", phone: "(415) 555-2671", address: PostalAddress(country: "us"))
        #expect(try american.validated(field: "customer", now: now).phone == "+14155552671")
        let unknownCountry = Customer(displayName: "Sam", phone: "(415) 555-2671")
        #expect(try unknownCountry.validated(field: "customer", now: now).phone == "4155552671")
        let tooShortForUS = Customer(displayName: "Sam", phone: "555-2671", address: PostalAddress(country: "US"))
        let error = #expect(throws: CRMError.self) { try tooShortForUS.validated(field: "customer", now: now) }
        #expect(error?.violations.map(\.field) == ["customer.phone"])
    }

    @Test("limits tags to 100 distinct ones")
    func tagLimit() throws {
        let hundredDistinct = (0..<100).map { "tag\($0)" }
        let withDuplicates = Customer(displayName: "T", tags: hundredDistinct + hundredDistinct.map { $0.uppercased() })
        #expect(try withDuplicates.validated(field: "customer", now: now).tags.count == 100)
        let tooMany = Customer(displayName: "T", tags: hundredDistinct + ["one-more"])
        let error = #expect(throws: CRMError.self) { try tooMany.validated(field: "customer", now: now) }
        #expect(
            error?.violations == [.init(field: "customer.tags", description: "must have at most 100 tags (got 101)")]
        )
    }

    @Test("limits attributes to 100")
    func attributeLimit() throws {
        let hundred = Dictionary(uniqueKeysWithValues: (0..<100).map { ("k\($0)", "v") })
        #expect(
            try Customer(displayName: "A", attributes: hundred).validated(field: "customer", now: now).attributes.count
                == 100
        )
        var tooMany = hundred
        tooMany["k100"] = "v"
        let error = #expect(throws: CRMError.self) {
            try Customer(displayName: "A", attributes: tooMany).validated(field: "customer", now: now)
        }
        #expect(
            error?.violations
                == [.init(field: "customer.attributes", description: "must have at most 100 attributes (got 101)")]
        )
    }

    @Test("attribute values may be at most 1000 characters")
    func attributeValueLength() throws {
        let ok = Customer(displayName: "A", attributes: ["note": String(repeating: "n", count: 1000)])
        #expect(try ok.validated(field: "customer", now: now).attributes["note"]?.count == 1000)
        let long = Customer(displayName: "A", attributes: ["note": String(repeating: "n", count: 1001)])
        let error = #expect(throws: CRMError.self) { try long.validated(field: "customer", now: now) }
        #expect(
            error?.violations
                == [
                    .init(
                        field: "customer.attributes[\"note\"]",
                        description: "must be at most 1000 characters (got 1001)"
                    )
                ]
        )
    }

    @Test("customer_since may lie in the past or up to a day ahead", arguments: [-1_576_800_000.0, 0, 82_800, 86_400])
    func customerSinceAccepted(offset: TimeInterval) throws {
        let customer = Customer(displayName: "C", customerSince: now.addingTimeInterval(offset))
        #expect(try customer.validated(field: "customer", now: now).customerSince == customer.customerSince)
    }

    @Test("customer_since more than a day ahead is rejected", arguments: [86_401.0, 172_800])
    func customerSinceInFuture(offset: TimeInterval) throws {
        let customer = Customer(displayName: "C", customerSince: now.addingTimeInterval(offset))
        let error = #expect(throws: CRMError.self) { try customer.validated(field: "customer", now: now) }
        #expect(error?.violations.map(\.field) == ["customer.customer_since"])
        #expect(error?.violations.first?.description.hasPrefix("must not be more than one day in the future") == true)
    }

    @Test("customer_since before 1900 is rejected")
    func customerSinceBefore1900() throws {
        let customer = Customer(displayName: "C", customerSince: Date(timeIntervalSince1970: -2_208_988_801))
        let error = #expect(throws: CRMError.self) { try customer.validated(field: "customer", now: now) }
        #expect(error?.violations.first?.description.hasPrefix("must not be before 1900-01-01") == true)
        let atStart = Customer(displayName: "C", customerSince: Date(timeIntervalSince1970: -2_208_988_800))
        #expect(try atStart.validated(field: "customer", now: now).customerSince == atStart.customerSince)
    }
}

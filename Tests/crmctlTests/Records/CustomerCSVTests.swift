import CRMProto
import SwiftProtobuf
import Testing

@testable import crmctl

@Suite("CustomerCSV")
struct CustomerCSVTests {
    static let header =
        "external_id,display_name,email,phone,company,street,city,region,postal_code,country,tags,lifecycle_stage,customer_since"

    func decode(_ text: String) throws -> DecodedFile<Crm_V1_Customer> {
        CustomerCSV.decode(try CSVTable(text: text))
    }

    @Test("a full row becomes a customer; attr. columns become attributes")
    func fullRow() throws {
        let file = try decode(
            "attr.industry,\(Self.header),attr.segment\n"
                + "retail,C1,Anna Müller,anna@example.de,+4930123456,Müller GmbH,Hauptstraße 1,Berlin,Berlin,10115,DE,vip; newsletter;,Customer,2024-03-01,\n"
        )
        #expect(file.errors.isEmpty)
        let customer = try #require(file.records.first)
        #expect(customer.externalID == "C1")
        #expect(customer.displayName == "Anna Müller")
        #expect(customer.email == "anna@example.de")
        #expect(customer.address.street == "Hauptstraße 1")
        #expect(customer.address.country == "DE")
        #expect(customer.tags == ["vip", "newsletter"])
        #expect(customer.lifecycleStage == .customer)
        #expect(customer.customerSince.seconds == 1_709_251_200)
        #expect(customer.attributes == ["industry": "retail"])  // the empty segment cell is no attribute
        #expect(file.lines == [[2]])
    }

    @Test("only the required columns are needed, in any order")
    func minimalColumns() throws {
        let file = try decode("display_name,external_id\nBob,C2\n")
        #expect(file.errors.isEmpty)
        #expect(file.records.first?.externalID == "C2")
        #expect(file.records.first?.hasAddress == false)
        #expect(file.records.first?.hasCustomerSince == false)
    }

    @Test("unknown, duplicate and missing columns are reported before any row")
    func headerErrors() throws {
        let file = try decode("external_id,label,email,email,attr.\nC1,x,a,b,c\n")
        #expect(file.records.isEmpty)
        let described = file.errors.map(\.description)
        #expect(described.count == 4)
        #expect(described[0].hasPrefix("line 1: label: unknown column in a customers file"))
        #expect(described[1].hasPrefix("line 1: attr.: attribute column without a key"))
        #expect(described[2] == "line 1: email: column appears more than once")
        #expect(described[3] == "line 1: display_name: required column is missing")
    }

    @Test("bad cells are reported with line and column, every one of them, and the row is dropped")
    func badCells() throws {
        let file = try decode(
            "external_id,display_name,lifecycle_stage,customer_since\n"
                + "C1,Good,lead,2024-01-01\n"
                + "C2,\"Two\nLines\",won,yesterday\n"
                + "C3,Short\n"
        )
        #expect(file.records.map(\.externalID) == ["C1"])
        #expect(
            file.errors.map(\.description) == [
                "line 3: lifecycle_stage: unknown value \"won\", expected one of lead|prospect|customer|churned",
                "line 3: customer_since: not an RFC 3339 time or YYYY-MM-DD date: \"yesterday\"",
                "line 5: expected 4 fields as in the header, found 2",
            ]
        )
    }

    @Test("export writes the union of attribute keys as sorted attr. columns")
    func exportHeader() {
        var a = Crm_V1_Customer()
        a.attributes = ["segment": "smb", "industry": "retail"]
        var b = Crm_V1_Customer()
        b.attributes = ["employees": "11-50"]
        let header = CustomerCSV.header(for: [a, b])
        #expect(header.suffix(3) == ["attr.employees", "attr.industry", "attr.segment"])
        #expect(header.prefix(CustomerCSV.columns.count) == CustomerCSV.columns[...])
        #expect(CustomerCSV.rows(for: b, header: header)[0].suffix(3) == ["11-50", "", ""])
    }

    @Test("export then import gives the same customers, export again the same bytes")
    func roundTrip() throws {
        var a = Crm_V1_Customer()
        a.externalID = "C1"
        a.displayName = "Zoë \"Z\" Ærø, Ltd"
        a.email = "zoe@example.dk"
        a.address.city = "København"
        a.address.country = "DK"
        a.tags = ["a", "b:c"]
        a.attributes = ["note": "line one\nline two", "tier": "gold"]
        a.lifecycleStage = .churned
        a.customerSince = Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 250_000_000)
        var b = Crm_V1_Customer()
        b.name = "customers/7"  // a customer made without an external id: keyed by its name
        b.displayName = "Plain"
        let csv = CustomerCSV.csv(for: [a, b])
        let file = try decode(csv)
        #expect(file.errors.isEmpty)
        #expect(file.records == [a, b])
        #expect(CustomerCSV.csv(for: file.records) == csv)
    }
}

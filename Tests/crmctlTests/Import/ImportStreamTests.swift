import CRMProto
import Testing

@testable import crmctl

@Suite("ImportStream")
struct ImportStreamTests {
    func customers(_ count: Int) -> [Crm_V1_Customer] {
        (0..<count).map { index in
            var customer = Crm_V1_Customer()
            customer.externalID = "C\(index)"
            return customer
        }
    }

    @Test("records go in messages of batch size; flags only on the first")
    func batching() {
        var stream = ImportStream(
            records: customers(2500),
            batchSize: 1000,
            flags: ImportFlags(atomic: true, validateOnly: true, skipInvalid: true, match: .email),
            noun: "customers"
        )
        let requests = stream.requests
        #expect(requests.map(\.customers.count) == [1000, 1000, 500])
        #expect(requests.map(\.atomic) == [true, false, false])
        #expect(requests.map(\.validateOnly) == [true, false, false])
        #expect(requests.map(\.skipInvalid) == [true, false, false])
        #expect(requests.map(\.match) == [.email, .unspecified, .unspecified])
        #expect(requests[1].customers.first?.externalID == "C1000")
        stream.flags = ImportFlags(atomic: false)
        stream.batchSize = 3000
        #expect(stream.requests.map(\.atomic) == [false])
        #expect(stream.requests.map(\.customers.count) == [2500])
    }

    @Test("failures point at the line where their record starts")
    func failureLines() {
        let lines = [[2], [3, 5, 9], [4]]
        var failure = Crm_V1_ImportFailure()
        failure.index = 1
        failure.field = "customer_external_id"
        failure.reason = "no customer with this external id"
        #expect(
            ImportStream<Crm_V1_Order>.describe(failure, lines: lines)
                == "line 3: customer_external_id: no customer with this external id"
        )
        failure.field = ""
        #expect(
            ImportStream<Crm_V1_Order>.describe(failure, lines: lines) == "line 3: no customer with this external id"
        )
    }

    @Test("a failure naming a line item points at that item's row")
    func lineItemFailure() {
        var failure = Crm_V1_ImportFailure()
        failure.index = 1
        failure.field = "orders[1].line_items[2].quantity"
        failure.reason = "must be 1 to 1,000,000"
        #expect(
            ImportStream<Crm_V1_Order>.describe(failure, lines: [[2], [3, 5, 9]])
                == "line 9: orders[1].line_items[2].quantity: must be 1 to 1,000,000"
        )
        #expect(ImportStream<Crm_V1_Order>.lineItemIndex(in: "line_items[12].sku") == 12)
        #expect(ImportStream<Crm_V1_Order>.lineItemIndex(in: "customer") == nil)
    }

    @Test("without a line the record number and external id are shown")
    func failureWithoutLine() {
        var failure = Crm_V1_ImportFailure()
        failure.index = 9
        failure.externalID = "C000010"
        failure.field = "email"
        failure.reason = "taken"
        #expect(ImportStream<Crm_V1_Customer>.describe(failure, lines: []) == "record 10 (C000010): email: taken")
    }

    @Test("the summary line")
    func summaryLine() {
        var summary = Crm_V1_ImportSummary()
        summary.created = 120
        summary.updated = 3
        summary.failed = 2
        let line = ImportStream<Crm_V1_Customer>.summaryLine(
            noun: "customers",
            summary: summary,
            source: "file.csv",
            elapsed: .milliseconds(420),
            validateOnly: false
        )
        #expect(
            line == "imported customers: 120 created, 3 updated, 0 unchanged, 2 failed, 0 rejected (file.csv, 0.4 s)"
        )
        let validated = ImportStream<Crm_V1_Customer>.summaryLine(
            noun: "orders",
            summary: Crm_V1_ImportSummary(),
            source: "stdin",
            elapsed: .seconds(12),
            validateOnly: true
        )
        #expect(
            validated == "validated orders: 0 created, 0 updated, 0 unchanged, 0 failed, 0 rejected (stdin, 12.0 s)"
        )
    }
}

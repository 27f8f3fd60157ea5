import Foundation
import SwiftProtobuf
import Testing

@testable import CRMPluginKit

/// The connector side of the export helper, in process: methods by name, bytes in and out.
@Suite("Connector dispatch")
struct ConnectorInstanceTests {
    /// A connector over a fixed list of customers, two a batch, with an offset as the cursor.
    struct FixtureConnector: ConnectorPlugin {
        init(configuration: PluginConfiguration) throws {}

        func describe() throws -> DescribeResponse {
            var response = DescribeResponse()
            response.connector.system = "fixture"
            response.connector.pullKinds = [.customer]
            return response
        }

        func pull(_ request: PullRequest, context: PluginCallContext) throws -> PullResponse {
            let names = ["Ada", "Grace", "Edsger"]
            let start = Int(request.cursor) ?? 0
            var response = PullResponse()
            for index in start..<min(start + 2, names.count) {
                var customer = CustomerRecord()
                customer.externalID = "C\(index)"
                customer.displayName = names[index]
                response.customers.append(customer)
            }
            response.nextCursor = String(min(start + 2, names.count))
            response.hasMore = start + 2 < names.count
            return response
        }
    }

    private let connector = ConnectorInstance(plugin: try! FixtureConnector(configuration: .init()), name: "fixture")

    private func call(_ method: String, _ request: some SwiftProtobuf.Message) throws -> Data {
        let bytes = try connector.call(method, request: request.serializedData(), context: PluginCallContext())
        return bytes.withUnsafeBytes { Data($0) }
    }

    @Test("describe fills in the methods: no push without push kinds")
    func describe() throws {
        let response = try DescribeResponse(serializedBytes: call("describe", DescribeRequest()))
        #expect(response.methods == ["describe", "pull"])
        #expect(response.connector.pullKinds == [.customer])
    }

    @Test("pull pages through the records with the cursor")
    func pull() throws {
        var request = PullRequest()
        let first = try PullResponse(serializedBytes: call("pull", request))
        #expect(first.customers.map(\.externalID) == ["C0", "C1"])
        #expect(first.hasMore)
        request.cursor = first.nextCursor
        let second = try PullResponse(serializedBytes: call("pull", request))
        #expect(second.customers.map(\.displayName) == ["Edsger"])
        #expect(!second.hasMore)
    }

    @Test("push without an implementation is UNIMPLEMENTED; unknown methods too")
    func unimplemented() {
        for method in ["push", "train"] {
            #expect {
                try call(method, PushRequest())
            } throws: { error in
                (error as? PluginError)?.code == .unimplemented
            }
        }
    }
}

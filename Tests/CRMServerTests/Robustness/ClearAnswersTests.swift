import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import GRPCProtobuf
import SwiftProtobuf
import Testing

/// Issue 9, finding 6: answers a client can act on.
@Suite("Clear answers: names, page tokens, interrupted imports, a full disk")
struct ClearAnswersTests {
    @Test("a resource name is accepted only as the server writes it")
    func canonicalNames() async throws {
        try await withDaemon(logLevel: "info") { daemon in
            let customer = try await daemon.createCustomer(Fixture.customer("Ada", email: "ada@example.com"))
            #expect(customer.name == "customers/1")
            for name in [
                "customers/+1", "customers/01", "customers/001", "customers/ 1", "customers/1 ", "customers/-1",
                "customers/0", "customers/1/x", "customers/١",
            ] {
                await expectRPCError(.invalidArgument, field: "name", "GetCustomer \(name)") {
                    try await daemon.getCustomer(name)
                }
            }
            var order = Crm_V1_GetOrderRequest()
            order.name = "orders/+1"
            await expectRPCError(.invalidArgument, field: "name", "GetOrder orders/+1") {
                try await daemon.orders.getOrder(order)
            }
            #expect(try await daemon.getCustomer("customers/1").name == "customers/1")
        }
    }

    @Test("a page token is refused by a listing other than the one that issued it")
    func pageTokensBelongToTheirListing() async throws {
        try await withDaemon(logLevel: "info") { daemon in
            var orderIDs: [String] = []
            for index in 0..<3 {
                let customer = try await daemon.createCustomer(
                    Fixture.customer("C\(index)", email: "c\(index)@example.com")
                )
                var order = Crm_V1_CreateOrderRequest()
                order.order = Fixture.order(
                    customer: customer.name,
                    items: [Fixture.lineItem("Rake", category: "garden", quantity: 1, unitPrice: 100)],
                    time: "2024-01-02T10:00:00Z"
                )
                orderIDs.append(try await daemon.orders.createOrder(order).name)
            }
            let page = try await daemon.listCustomers(pageSize: 1)
            #expect(!page.nextPageToken.isEmpty)
            var orders = Crm_V1_ListOrdersRequest()
            orders.pageSize = 1
            orders.pageToken = page.nextPageToken
            await expectRPCError(.invalidArgument, field: "page_token", "a ListCustomers token sent to ListOrders") {
                try await daemon.orders.listOrders(orders)
            }
            var interactions = Crm_V1_ListInteractionsRequest()
            interactions.pageToken = page.nextPageToken
            await expectRPCError(
                .invalidArgument,
                field: "page_token",
                "a ListCustomers token sent to ListInteractions"
            ) {
                try await daemon.interactions.listInteractions(interactions)
            }
            // The token still works where it came from.
            let next = try await daemon.listCustomers(pageSize: 1, pageToken: page.nextPageToken)
            #expect(next.customers.map(\.name) == ["customers/2"])
        }
    }

    @Test("an import stream that fails on a later message says what was committed before it")
    func interruptedImport() async throws {
        try await withDaemon(logLevel: "info") { daemon in
            var bad = Fixture.customer("Late", externalID: "LATE-1")
            bad.customerSince = .init(seconds: .max, nanos: 0)
            let batches = [
                (0..<50).map { Fixture.customer("First \($0)", externalID: "F-\($0)") },
                (0..<30).map { Fixture.customer("Second \($0)", externalID: "S-\($0)") },
                [bad],
            ]
            let error = await expectRPCError(.invalidArgument, field: "customers[0].customer_since") {
                try await daemon.importCustomers(batches)
            }
            let message = error?.message ?? ""
            #expect(message.contains("2 earlier batches (80 rows) were committed: resend from row 80"), "\(message)")
            let status = try #require(try error?.unpackGoogleRPCStatus())
            let info = try #require(status.details.compactMap(\.errorInfo).first, "no ErrorInfo in \(status.details)")
            #expect(info.reason == "IMPORT_INTERRUPTED")
            #expect(info.metadata["batches_committed"] == "2")
            #expect(info.metadata["rows_committed"] == "80")
            #expect(info.metadata["resume_from_row"] == "80")
            let packed = try #require(status.details.compactMap(\.any).first, "no ImportSummary in the details")
            let summary = try Crm_V1_ImportSummary(unpackingAny: packed)
            #expect(summary.created == 80)
            #expect(summary.batchesCommitted == 2)
            #expect(try await daemon.stats().customers == 80)

            // Atomic: nothing was committed, and the error says so.
            let atomic = await expectRPCError(.invalidArgument) {
                try await daemon.importCustomers(
                    [[Fixture.customer("A", externalID: "ATOM-1")], [bad]],
                    atomic: true
                )
            }
            #expect(atomic?.message.contains("nothing of this import was committed") == true)
            #expect(try await daemon.stats().customers == 80)
        }
    }

    /// Found by scripts/fuzz.sh: an attribute key of a megabyte came back in the error's message and
    /// BadRequest field path; HPACK-encoding those headers held an event loop for tens of seconds.
    @Test("an error quoting a huge input stays small, and the daemon answers meanwhile", .timeLimit(.minutes(2)))
    func boundedErrors() async throws {
        try await withDaemon(logLevel: "info") { daemon in
            var request = Crm_V1_CreateCustomerRequest()
            request.customer = Fixture.customer("Huge key")
            request.customer.attributes = [String(repeating: "k", count: 1 << 20): "v"]
            var options = CallOptions.defaults
            options.timeout = .seconds(20)
            let error = await expectRPCError(.invalidArgument, "a 1 MiB attribute key") {
                try await daemon.customers.createCustomer(request, options: options)
            }
            let message = error?.message ?? ""
            #expect(message.utf8.count < 2048, "message of \(message.utf8.count) bytes")
            let fields = error.map(fieldViolations(of:)) ?? []
            #expect(!fields.isEmpty && fields.allSatisfy { $0.utf8.count < 512 }, "\(fields.map(\.utf8.count))")
            var health = CallOptions.defaults
            health.timeout = .seconds(2)
            let answer = try await daemon.health.check(Grpc_Health_V1_HealthCheckRequest(), options: health)
            #expect(answer.status == .serving)
        }
    }

    /// A tmpfs of 6 MiB as the data folder; mounting needs root.
    @Test(
        "a full disk is RESOURCE_EXHAUSTED naming the folder, shown in stats; reads go on, nothing is lost",
        .enabled(if: getuid() == 0, "mounting a small tmpfs needs root"),
        .timeLimit(.minutes(3))
    )
    func diskFull() async throws {
        let mountPoint = try Daemon.makeTempDirectory(prefix: "crmd-full")
        let mount = try await runCommand(
            "/bin/mount",
            ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mountPoint],
            scratch: "/tmp",
            timeout: .seconds(20)
        )
        try #require(mount.exitCode == 0, "mount failed: \(mount)")
        defer {
            _ = umount2(mountPoint, 2)  // MNT_DETACH
            try? FileManager.default.removeItem(atPath: mountPoint)
        }
        try await withDaemon(logLevel: "info", dataDir: mountPoint + "/data") { daemon in
            var acknowledged: Int64 = 0
            var refusal: RPCError?
            let filler = String(repeating: "z", count: 900)
            for batch in 0..<400 where refusal == nil {
                var request = Crm_V1_BatchCreateCustomersRequest()
                request.requests = (0..<50).map { index in
                    var item = Crm_V1_CreateCustomerRequest()
                    item.customer = Fixture.customer("Filler \(batch)-\(index)")
                    item.customer.attributes = ["a": filler, "b": filler, "c": filler]
                    return item
                }
                do {
                    acknowledged += Int64(try await daemon.customers.batchCreateCustomers(request).customers.count)
                } catch let error as RPCError {
                    refusal = error
                }
            }
            let error = try #require(refusal, "6 MiB never filled up")
            #expect(error.code == .resourceExhausted, "\(error)")
            #expect(error.message.contains("is full"), "\(error.message)")
            #expect(error.message.contains(mountPoint), "\(error.message)")
            let stats = try await daemon.stats()
            #expect(stats.customers == acknowledged, "acknowledged \(acknowledged), stored \(stats.customers)")
            #expect(stats.diskFull)
            #expect(stats.diskFreeBytes < 1 << 20)
            #expect(try await daemon.getCustomer("customers/1").displayName == "Filler 0-0")
        }
    }
}

import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import GRPCProtobuf
import SwiftProtobuf
import Synchronization
import Testing

/// Issue 9, finding 5: memory without bounds. Every limit is configurable and answered
/// RESOURCE_EXHAUSTED naming its key.
@Suite("Limits are answered RESOURCE_EXHAUSTED, naming the limit")
struct LimitsTests {
    static let configuration = """
        limits:
          request_bytes: 65536
          calls_per_caller: 4
          atomic_import_rows: 100
          atomic_import_rows_total: 150
        """

    @Test("a request over limits.request_bytes is refused from its length prefix", .timeLimit(.minutes(2)))
    func requestSize() async throws {
        try await withDaemon(logLevel: "info", configuration: Self.configuration) { daemon in
            var request = Crm_V1_CreateCustomerRequest()
            request.customer = Fixture.customer("Big")
            request.customer.attributes["blob"] = String(repeating: "x", count: 100_000)
            let error = await expectRPCError(.resourceExhausted, "a 100 kB request") {
                try await daemon.customers.createCustomer(request)
            }
            #expect(error?.message.contains("limits.request_bytes") == true, "\(String(describing: error))")
            // The connection and the daemon go on serving.
            let customer = try await daemon.createCustomer(Fixture.customer("Small", email: "small@example.com"))
            #expect(customer.name == "customers/1")
            #expect(try await daemon.stats().customers == 1)
        }
    }

    @Test("atomic imports hold at most limits.atomic_import_rows rows, and all of them together the total")
    func atomicImportRows() async throws {
        try await withDaemon(logLevel: "info", configuration: Self.configuration) { daemon in
            let rows = (0..<101).map { Fixture.customer("Atomic \($0)", externalID: "AT-\($0)") }
            let error = await expectRPCError(.resourceExhausted, "101 rows in one atomic import") {
                try await daemon.importCustomers([Array(rows[0..<60]), Array(rows[60...])], atomic: true)
            }
            #expect(error?.message.contains("limits.atomic_import_rows") == true, "\(String(describing: error))")

            // Two unfinished atomic imports of 80 rows each pass the total of 150 together. Both are held
            // open; whichever the daemon takes second is refused and ends on its own, the other waits —
            // no sleep decides the order. Then a row without a display name fails the held one whole.
            func held(
                _ prefix: String,
                until release: AsyncStream<Void>
            ) throws -> Task<Crm_V1_ImportSummary, any Error> {
                let connection = try daemon.connect()
                return Task {
                    defer { Task { await connection.close() } }
                    return try await connection.customers.importCustomers(requestProducer: { writer in
                        var message = Crm_V1_ImportCustomersRequest()
                        message.atomic = true
                        message.customers = (0..<80).map {
                            Fixture.customer("\(prefix) \($0)", externalID: "\(prefix)-\($0)")
                        }
                        try await writer.write(message)
                        for await _ in release { break }
                        var bad = Crm_V1_ImportCustomersRequest()
                        bad.customers = [Fixture.customer("", externalID: "\(prefix)-bad")]
                        try await writer.write(bad)
                    })
                }
            }
            let (releaseA, openA) = AsyncStream<Void>.makeStream()
            let (releaseB, openB) = AsyncStream<Void>.makeStream()
            let imports = ["A": try held("A", until: releaseA), "B": try held("B", until: releaseB)]
            // Each import reports when it ends; the first report is the refused one.
            let (ended, report) = AsyncStream<(String, Result<Crm_V1_ImportSummary, any Error>)>.makeStream()
            for (label, task) in imports {
                Task { report.yield((label, await task.result)) }
            }
            var reports = ended.makeAsyncIterator()
            guard let (first, outcome) = await reports.next() else {
                Issue.record("no import ended")
                return
            }
            guard case .failure(let refusal) = outcome, let error = refusal as? RPCError else {
                Issue.record("the first import to end should be the refused one: \(outcome)")
                openA.yield()
                openB.yield()
                return
            }
            #expect(error.code == .resourceExhausted, "\(error)")
            #expect(error.message.contains("limits.atomic_import_rows_total"), "\(error)")
            let other = first == "A" ? "B" : "A"
            (other == "A" ? openA : openB).yield()
            let heldSummary = try await imports[other]!.value
            #expect(heldSummary.failed == 1 && heldSummary.created == 0, "\(heldSummary)")
            #expect(try await daemon.stats().customers == 0, "a refused atomic import wrote rows")

            // Once the held import is done, its rows are given back.
            let summary = try await daemon.importCustomers(
                [(0..<80).map { Fixture.customer("Later \($0)", externalID: "L-\($0)") }],
                atomic: true
            )
            #expect(summary.created == 80)
        }
    }

    @Test("one caller may run at most limits.calls_per_caller calls at once", .timeLimit(.minutes(2)))
    func callsPerCaller() async throws {
        try await withDaemon(logLevel: "info", configuration: Self.configuration) { daemon in
            // Open import streams that send nothing hold a call each.
            let connection = try daemon.connect()
            let holders = (0..<4).map { _ in
                Task {
                    try await connection.customers.importCustomers(requestProducer: { _ in
                        try await Task.sleep(for: .seconds(30))
                    })
                }
            }
            try await Task.sleep(for: .milliseconds(800))
            let error = await expectRPCError(.resourceExhausted, "a fifth call from the same uid") {
                try await daemon.stats()
            }
            #expect(error?.message.contains("limits.calls_per_caller") == true, "\(String(describing: error))")
            for holder in holders { holder.cancel() }
            for holder in holders { _ = await holder.result }
            await connection.close()
            // The slots came back.
            var answered = false
            for _ in 0..<50 where !answered {
                answered = (try? await daemon.stats()) != nil
                if !answered { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(answered, "calls stayed refused after the holders ended")
        }
    }

    /// Found by scripts/fuzz.sh: a Watch the client cancelled kept running on the server (grpc-swift
    /// does not cancel the handler), holding its call slot until the daemon stopped.
    @Test("cancelled Health.Watch streams end on the server and give their call slots back", .timeLimit(.minutes(2)))
    func abandonedWatches() async throws {
        try await withDaemon(logLevel: "info", configuration: Self.configuration) { daemon in
            for round in 0..<3 {
                let connection = try daemon.connect()
                let watchers = (0..<4).map { _ in
                    Task {
                        try await connection.health.watch(Grpc_Health_V1_HealthCheckRequest()) { response in
                            for try await _ in response.messages {}
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(500))
                for watcher in watchers { watcher.cancel() }
                for watcher in watchers { _ = await watcher.result }
                await connection.close()
                var answered = false
                for _ in 0..<50 where !answered {
                    answered = (try? await daemon.stats()) != nil
                    if !answered { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(answered, "round \(round): the cancelled watches still hold the caller's slots")
            }
        }
    }

    @Test("trainings beyond limits.concurrent_trainings are refused while one runs", .timeLimit(.minutes(3)))
    func concurrentTrainings() async throws {
        try await withDaemon(logLevel: "info", configuration: "limits:\n  concurrent_trainings: 1\n") { daemon in
            // An uploaded table and a network slow enough to still be training when the second call comes.
            var slow = Crm_V1_TrainRequest()
            slow.algorithm = "neural-network"
            slow.parameters = ["hidden_layer_sizes": "256,256", "max_iter": "2000", "tol": "0"]
            slow.cvFolds = 1
            slow.dataset.featureNames = (0..<20).map { "f\($0)" }
            var generator = SystemRandomNumberGenerator()
            slow.dataset.values = (0..<(3000 * 20)).map { _ in Double.random(in: -1...1, using: &generator) }
            slow.dataset.labels = (0..<3000).map { $0 % 2 == 0 ? "a" : "b" }
            let analysis = daemon.connection.analysis
            let started = AsyncStream<Void>.makeStream()
            let slowRequest = slow
            let first = Task {
                try await analysis.train(slowRequest) { response in
                    for try await _ in response.messages { started.continuation.yield() }
                }
            }
            var iterator = started.stream.makeAsyncIterator()
            _ = await iterator.next()
            var quick = Crm_V1_TrainRequest()
            quick.algorithm = "decision-tree"
            quick.cvFolds = 1
            quick.dataset = slow.dataset
            let error = await expectRPCError(.resourceExhausted, "a second training at once") {
                try await analysis.train(quick) { response in
                    for try await _ in response.messages {}
                }
            }
            #expect(error?.message.contains("limits.concurrent_trainings") == true, "\(String(describing: error))")
            first.cancel()
            _ = await first.result
            // Once the first is gone, training is allowed again.
            var trained = false
            for _ in 0..<50 where !trained {
                do {
                    try await analysis.train(quick) { response in
                        for try await _ in response.messages {}
                    }
                    trained = true
                } catch let error as RPCError where error.code == .resourceExhausted {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(trained, "training stayed refused after the first one ended")
        }
    }

    @Test("a connection without calls is closed after limits.idle_connection_timeout")
    func idleConnections() async throws {
        try await withDaemon(logLevel: "info", configuration: "limits:\n  idle_connection_timeout: 2s\n") { daemon in
            let idle = try RawConnection(path: daemon.socketPath)
            #expect(idle.waitForClose(within: .seconds(20)), "an idle connection stayed open")
            // The daemon goes on serving new connections.
            let fresh = try daemon.connect()
            #expect(try await fresh.admin.getStats(Crm_V1_GetStatsRequest()).customers == 0)
            await fresh.close()
        }
    }

    @Test("connections beyond limits.connections are closed at once")
    func connectionCount() async throws {
        try await withDaemon(logLevel: "info", configuration: "limits:\n  connections: 3\n") { daemon in
            // The harness's own connection is one; two more are allowed, a fourth is closed.
            let allowed = try (0..<2).map { _ in try RawConnection(path: daemon.socketPath) }
            try await Task.sleep(for: .milliseconds(300))
            let extra = try RawConnection(path: daemon.socketPath)
            #expect(extra.waitForClose(within: .seconds(2)), "a fourth connection was kept")
            #expect(!allowed[1].waitForClose(within: .milliseconds(500)), "an allowed connection was closed")
            for connection in allowed { connection.close() }
            try await Task.sleep(for: .milliseconds(300))
            // Closed connections are counted out again.
            let later = try RawConnection(path: daemon.socketPath)
            #expect(!later.waitForClose(within: .milliseconds(500)), "a connection under the limit was closed")
            later.close()
            #expect(try await daemon.stats().customers == 0)
        }
    }
}

/// A client connection that speaks only HTTP/2's preface and then stays silent.
final class RawConnection: Sendable {
    private let open: Mutex<Int32>
    var descriptor: Int32 { open.withLock { $0 } }

    init(path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw HarnessError("connect: errno \(errno)")
        }
        // The client preface and an empty SETTINGS frame.
        let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + [0, 0, 0, 4, 0, 0, 0, 0, 0]
        _ = preface.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        self.open = Mutex(descriptor)
    }

    /// Whether the server closes the connection within `limit` (reading and dropping its frames).
    func waitForClose(within limit: Duration) -> Bool {
        let descriptor = self.descriptor
        let deadline = ContinuousClock.now.advanced(by: limit)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let left = deadline - ContinuousClock.now
            let millis = Int32(
                max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            )
            guard poll(&poller, 1, millis) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return true }
        }
        return false
    }

    /// Closes the socket once; later calls do nothing.
    func close() {
        let descriptor = open.withLock { descriptor in
            defer { descriptor = -1 }
            return descriptor
        }
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    deinit {
        close()
    }
}

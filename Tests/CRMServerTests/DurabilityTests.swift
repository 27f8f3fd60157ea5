import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

@Suite("Durability across kill -9")
struct DurabilityTests {
    static let batchSize = 200
    static let batchCount = 250

    @Test(
        "kill -9 during a streaming import: acknowledged data survives, no batch is half-applied",
        .timeLimit(.minutes(3))
    )
    func killDuringImport() async throws {
        try await withDaemon(logLevel: "info") { daemon in
            // An import that was acknowledged before the crash.
            let acknowledged = try await daemon.importCustomers([
                (0..<125).map { bulkCustomer("ACK", $0) },
                (125..<250).map { bulkCustomer("ACK", $0) },
            ])
            #expect(acknowledged.created == 250)

            // A long non-atomic import, interrupted by SIGKILL.
            let batchSize = Self.batchSize
            let batchCount = Self.batchCount
            let customers = daemon.customers
            let importTask = Task {
                try await customers.importCustomers(requestProducer: { writer in
                    for batch in 0..<batchCount {
                        var message = Crm_V1_ImportCustomersRequest()
                        message.customers = (0..<batchSize).map { bulkCustomer("DUR", batch * batchSize + $0) }
                        try await writer.write(message)
                    }
                })
            }

            let watcher = try daemon.connect()
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(90))
            var seen: Int64 = 0
            while clock.now < deadline {
                seen = (try? await watcher.admin.getStats(Crm_V1_GetStatsRequest()).customers) ?? seen
                if seen >= 250 + 2 * Int64(batchSize) { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            // Land the kill at some point inside a later batch rather than just after a commit.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...80)))
            await daemon.kill9()
            await watcher.close()
            let outcome = await importTask.result
            try #require(seen >= 250 + 2 * Int64(batchSize), "the import never got two batches in: \(seen) customers")
            if case .success(let summary) = outcome {
                Issue.record("the import finished before the kill (\(summary.created) created); make it longer")
            }

            try await daemon.launch()
            let stored = try await daemon.exportCustomers(showDeleted: true)
            let stats = try await daemon.stats()
            #expect(stats.customers == Int64(stored.count))

            let ack = stored.filter { $0.externalID.hasPrefix("ACK-") }
            #expect(ack.count == 250, "acknowledged customers lost: \(250 - ack.count)")
            for customer in ack {
                let index = Int(customer.externalID.dropFirst(4))!
                #expect(isIntactBulkCustomer(customer, prefix: "ACK", index: index), "damaged: \(customer)")
            }

            let interrupted = stored.filter { $0.externalID.hasPrefix("DUR-") }
            #expect(
                interrupted.count % batchSize == 0,
                "\(interrupted.count) customers of the interrupted import: a half batch"
            )
            #expect(Int64(interrupted.count) >= seen - 250, "customers seen committed before the kill are gone")
            #expect(interrupted.count < batchSize * batchCount)
            var perBatch: [Int: Int] = [:]
            var damaged = 0
            for customer in interrupted {
                let index = Int(customer.externalID.dropFirst(4))!
                perBatch[index / batchSize, default: 0] += 1
                if !isIntactBulkCustomer(customer, prefix: "DUR", index: index) { damaged += 1 }
            }
            #expect(damaged == 0, "\(damaged) customers of the interrupted import are incomplete")
            let partial = perBatch.filter { $0.value != batchSize }
            #expect(partial.isEmpty, "half-applied batches (batch: rows): \(partial)")
            #expect(
                perBatch.keys.sorted() == Array(0..<perBatch.count),
                "committed batches are not a prefix of the stream"
            )
            print(
                "kill -9 after \(seen - 250) rows seen; \(interrupted.count) rows (\(perBatch.count) batches) survived"
            )
        }
    }
}

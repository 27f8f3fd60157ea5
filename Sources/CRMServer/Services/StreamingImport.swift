import CRMCore
import CRMProto
import GRPCCore

/// The shared body of the Import methods: reads the client stream, turns each
/// message into a batch of validated rows and applies it through the store —
/// one transaction per message, or one for the whole stream when the first
/// message sets `atomic`.
enum StreamingImport {
    /// Rows kept in memory for an atomic import.
    static let atomicRowLimit = 1_000_000
    /// Failures listed one by one in the answer; the counts stay exact beyond it.
    static let reportedFailureLimit = 1000

    static func run<Request: Sendable, RowMessage, Value: Sendable>(
        _ stream: RPCAsyncSequence<Request, any Error>,
        rows: KeyPath<Request, [RowMessage]>,
        options: (Request) -> (atomic: Bool, validateOnly: Bool),
        row: (RowMessage, Int64) -> ImportRow<Value>,
        apply: ([ImportRow<Value>], ImportOptions) async throws -> ImportOutcome
    ) async throws -> ImportOutcome {
        var outcome = ImportOutcome()
        var index: Int64 = 0
        var first = true
        var atomic = false
        var importOptions = ImportOptions()
        var pending: [ImportRow<Value>] = []

        for try await message in stream {
            if first {
                (atomic, importOptions.validateOnly) = options(message)
                first = false
            }
            var batch: [ImportRow<Value>] = []
            batch.reserveCapacity(message[keyPath: rows].count)
            for item in message[keyPath: rows] {
                batch.append(row(item, index))
                index += 1
            }
            if atomic {
                pending += batch
                if pending.count > atomicRowLimit {
                    throw CRMError(.invalidArgument, "an atomic import holds at most \(atomicRowLimit) rows; send batches without atomic", violations: [.init(field: "atomic", description: "too many rows for one transaction")])
                }
            } else if !batch.isEmpty {
                outcome = outcome + (try await apply(batch, importOptions))
            }
        }
        if atomic, !pending.isEmpty {
            outcome = try await apply(pending, importOptions)
        }
        return outcome
    }

    static func requireExternalID(_ value: String, field: String) throws {
        if value.isEmpty { throw CRMError.invalid(field, "is required for imports") }
    }

    static func crmError(_ error: any Error) -> CRMError {
        error as? CRMError ?? CRMError(.invalidArgument, String(describing: error))
    }
}

extension ImportOutcome {
    var message: Crm_V1_ImportSummary {
        var summary = Crm_V1_ImportSummary()
        summary.created = created
        summary.updated = updated
        summary.unchanged = unchanged
        summary.failed = failed
        summary.rejected = rejected
        summary.batchesCommitted = batchesCommitted
        summary.failures = failures.prefix(StreamingImport.reportedFailureLimit).map { failure in
            var item = Crm_V1_ImportFailure()
            item.index = failure.index
            item.externalID = failure.externalID
            item.field = failure.field
            item.reason = failure.reason
            return item
        }
        return summary
    }
}

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

    /// - Parameters:
    ///   - stream: the client's messages.
    ///   - externalIDField: the path named when a row has no external id (imports are keyed by it).
    ///   - externalID: a row's external id.
    ///   - validate: turns a row into a valid value, or throws a ``CRMError`` naming what is wrong.
    ///   - apply: writes one batch through the store.
    static func run<Request: ImportRequest, Value: Sendable>(
        _ stream: RPCAsyncSequence<Request, any Error>,
        externalIDField: String,
        externalID: (Request.Row) -> String,
        validate: (Request.Row) throws -> Value,
        apply: ([ImportRow<Value>], ImportOptions) async throws -> ImportOutcome
    ) async throws -> Crm_V1_ImportSummary {
        var outcome = ImportOutcome()
        var index: Int64 = 0
        var first = true
        var atomic = false
        var options = ImportOptions()
        var pending: [ImportRow<Value>] = []

        for try await message in stream {
            if first {
                atomic = message.atomic
                options.validateOnly = message.validateOnly
                first = false
            }
            var batch: [ImportRow<Value>] = []
            batch.reserveCapacity(message.rows.count)
            for item in message.rows {
                let key = externalID(item)
                let value = Result {
                    if key.isEmpty { throw CRMError.invalid(externalIDField, "is required for imports") }
                    return try validate(item)
                }.mapError { $0 as? CRMError ?? CRMError(.invalidArgument, String(describing: $0)) }
                batch.append(ImportRow(index: index, externalID: key, value: value))
                index += 1
            }
            if atomic {
                pending += batch
                if pending.count > atomicRowLimit {
                    throw CRMError(
                        .invalidArgument,
                        "an atomic import holds at most \(atomicRowLimit) rows; send batches without atomic",
                        violations: [.init(field: "atomic", description: "too many rows for one transaction")]
                    )
                }
            } else if !batch.isEmpty {
                outcome = outcome + (try await apply(batch, options))
            }
        }
        if atomic, !pending.isEmpty {
            outcome = try await apply(pending, options)
        }
        return outcome.message
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

import CRMCore
import CRMProto
import GRPCCore
import GRPCProtobuf
import SwiftProtobuf

/// The shared body of the Import methods: reads the client stream, turns each
/// message into a batch of validated rows and applies it through the store —
/// one transaction per message, or one for the whole stream when the first
/// message sets `atomic`.
enum StreamingImport {
    /// Failures listed one by one in the answer; the counts stay exact beyond it.
    static let reportedFailureLimit = 1000

    /// - Parameters:
    ///   - limits: how many rows atomic imports may hold before their commit.
    ///   - stream: the client's messages.
    ///   - externalIDField: the path named when a row has no external id, for the kinds whose imports are
    ///     keyed by it; nil when a row may go without (customers: keyed by their name, or created).
    ///   - externalID: a row's external id.
    ///   - validate: turns a row into a valid value, or throws a ``CRMError`` naming what is wrong.
    ///   - apply: writes one batch through the store.
    static func run<Request: ImportRequest, Value: Sendable>(
        limits: ImportLimits,
        _ stream: RPCAsyncSequence<Request, any Error>,
        externalIDField: String?,
        externalID: (Request.Row) -> String,
        validate: (Request.Row) throws -> Value,
        apply: ([ImportRow<Value>], ImportOptions) async throws -> ImportOutcome
    ) async throws -> Crm_V1_ImportSummary {
        var outcome = ImportOutcome()
        var index: Int64 = 0
        /// Rows read up to the end of the last batch applied: where a client resumes.
        var applied: Int64 = 0
        var first = true
        var atomic = false
        var options = ImportOptions()
        var pending: [ImportRow<Value>] = []
        // Rows of this stream counted against limits.atomic_import_rows_total, given back at the end.
        var held = 0
        defer { limits.held.give(held, for: 0) }

        do {
            for try await message in stream {
                if first {
                    atomic = message.atomic
                    options.validateOnly = message.validateOnly
                    options.skipInvalid = message.skipInvalid
                    options.match = message.importMatch
                    first = false
                }
                var batch: [ImportRow<Value>] = []
                batch.reserveCapacity(message.rows.count)
                for item in message.rows {
                    let key = externalID(item)
                    let value = Result {
                        if key.isEmpty, let externalIDField {
                            throw CRMError.invalid(externalIDField, "is required for imports")
                        }
                        return try validate(item)
                    }.mapError { $0 as? CRMError ?? CRMError(.invalidArgument, String(describing: $0)) }
                    batch.append(ImportRow(index: index, externalID: key, value: value))
                    index += 1
                }
                if atomic {
                    guard pending.count + batch.count <= limits.rowsPerImport else {
                        throw CRMError(
                            .resourceExhausted,
                            "an atomic import holds at most \(limits.rowsPerImport) rows "
                                + "(limits.atomic_import_rows); send batches without atomic",
                            violations: [.init(field: "atomic", description: "too many rows for one transaction")]
                        )
                    }
                    try limits.held.take(
                        batch.count,
                        for: 0,
                        what: "rows held by atomic imports at once; retry later or import without atomic"
                    )
                    held += batch.count
                    pending += batch
                } else if !batch.isEmpty {
                    outcome = outcome + (try await apply(batch, options))
                    applied = index
                }
            }
        } catch {
            // A later message failed to arrive, decode or pass a check: the batches before it stay
            // committed (atomic imports commit nothing), and the client must learn how far it got.
            throw Self.interrupted(by: error, after: outcome, resumeFrom: applied, atomic: atomic)
        }
        if atomic, !pending.isEmpty {
            outcome = try await apply(pending, options)
        }
        return outcome.message
    }

    /// The error that ends an import stream early: the original status code and message, plus
    /// what was committed before it — in the message, in a `google.rpc.ErrorInfo`
    /// (`IMPORT_INTERRUPTED`, with `batches_committed`, `rows_committed` and `resume_from_row`)
    /// and as the `crm.v1.ImportSummary` so far, packed in the status details.
    static func interrupted(
        by error: any Error,
        after outcome: ImportOutcome,
        resumeFrom: Int64,
        atomic: Bool
    )
        -> GoogleRPCStatus
    {
        let original =
            RPCError(converting: error) ?? RPCError(code: .internalError, message: String(describing: error))
        let committedRows = outcome.created + outcome.updated + outcome.unchanged
        var details: [ErrorDetails] = []
        if let status = try? original.unpackGoogleRPCStatus() {
            details += status.details
        }
        let progress: String
        if atomic || outcome.batchesCommitted == 0 {
            progress = "nothing of this import was committed"
        } else {
            progress =
                "\(outcome.batchesCommitted) earlier batches (\(committedRows) rows) were committed: "
                + "resend from row \(resumeFrom)"
        }
        details.append(
            .errorInfo(
                reason: "IMPORT_INTERRUPTED",
                domain: "crmd",
                metadata: [
                    "batches_committed": "\(atomic ? 0 : outcome.batchesCommitted)",
                    "rows_committed": "\(atomic ? 0 : committedRows)",
                    "resume_from_row": "\(atomic ? 0 : resumeFrom)",
                ]
            )
        )
        if !atomic, let packed = try? Google_Protobuf_Any(message: outcome.message) {
            details.append(.any(packed))
        }
        return GoogleRPCStatus(code: original.code, message: "\(original.message) (\(progress))", details: details)
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

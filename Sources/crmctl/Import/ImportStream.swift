import CRMProto
import GRPCCore

/// Records on their way to crmd through an Import RPC, in messages of ``batchSize`` records,
/// and the report of what came back.
struct ImportStream<Record: ImportableRecord> {
    var records: [Record]
    /// For each record the file lines it came from (see ``DecodedFile/lines``); empty when the
    /// records did not come from a file.
    var lines: [[Int]] = []
    var batchSize = 1000
    /// What the first message asks of the whole stream.
    var flags = ImportFlags()
    /// Whether to show rows sent and the rate on standard error while sending.
    var showProgress = false
    /// The noun in progress and summary lines: `customers`.
    var noun: String

    /// The messages to send, the flags set on the first.
    var requests: [Record.ImportRequest] {
        let size = max(1, batchSize)
        return stride(from: 0, to: records.count, by: size).enumerated().map { number, start in
            Record.importRequest(
                batch: Array(records[start..<min(start + size, records.count)]),
                first: number == 0,
                flags: flags
            )
        }
    }

    /// Sends every message and returns crmd's summary and how long it took.
    func send(client: GRPCClient<Daemon.Transport>) async throws -> (summary: Crm_V1_ImportSummary, elapsed: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        guard !records.isEmpty else { return (Crm_V1_ImportSummary(), clock.now - start) }
        let requests = self.requests
        let total = records.count
        let size = max(1, batchSize)
        let showProgress = self.showProgress
        let noun = self.noun
        let summary = try await Record.sendImport(client: client) { writer in
            var sent = 0
            for request in requests {
                try await writer.write(request)
                sent = min(total, sent + size)
                if showProgress {
                    let seconds = Self.seconds(clock.now - start)
                    let rate = seconds > 0 ? Int(Double(sent) / seconds) : 0
                    Terminal.writeError("\r\u{1B}[K\(noun): \(sent) / \(total) rows sent (\(rate) rows/s)")
                }
            }
        }
        if showProgress { Terminal.writeError("\r\u{1B}[K") }
        return (summary, clock.now - start)
    }

    /// A failure reported by crmd, pointed back at the file: `line 12: customer.email: reason`.
    ///
    /// `index` counts records in the stream from 0 (for orders, orders rather than rows). When the
    /// field names a line item (`line_items[2]…`), the line of that item's row is used.
    static func describe(_ failure: Crm_V1_ImportFailure, lines: [[Int]]) -> String {
        let index = Int(failure.index)
        let field = failure.field.isEmpty ? "" : failure.field + ": "
        guard index >= 0, index < lines.count, let first = lines[index].first else {
            let id = failure.externalID.isEmpty ? "" : " (\(failure.externalID))"
            return "record \(index + 1)\(id): \(field)\(failure.reason)"
        }
        var line = first
        if let item = lineItemIndex(in: failure.field), item < lines[index].count {
            line = lines[index][item]
        }
        return "line \(line): \(field)\(failure.reason)"
    }

    /// `2` for a field path containing `line_items[2]`.
    static func lineItemIndex(in field: String) -> Int? {
        guard let range = field.range(of: "line_items[") else { return nil }
        let digits = field[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int(digits)
    }

    /// `imported customers: 120 created, 3 updated, 0 unchanged, 2 failed, 0 rejected (file.csv, 0.4 s)`.
    static func summaryLine(
        noun: String,
        summary: Crm_V1_ImportSummary,
        source: String,
        elapsed: Duration,
        validateOnly: Bool
    ) -> String {
        let verb = validateOnly ? "validated" : "imported"
        return
            "\(verb) \(noun): \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged, "
            + "\(summary.failed) failed, \(summary.rejected) rejected (\(source), \(formatSeconds(elapsed)))"
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// `0.4 s`, `12.0 s`: one decimal.
    static func formatSeconds(_ duration: Duration) -> String {
        let tenths = Int64((seconds(duration) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}

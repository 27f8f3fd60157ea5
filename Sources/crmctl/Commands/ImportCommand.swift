import ArgumentParser
import CRMProto
import Foundation
import GRPCCore

/// `crmctl import KIND FILE`: read a CSV file whole, then stream it to crmd.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import customers, orders, payments or interactions from a CSV file.",
        discussion: """
            The whole file is read and checked first: if any row cannot be parsed, every such row \
            is reported as 'line N: column: reason' and nothing is sent. Otherwise the rows go to \
            crmd in messages of --batch-size rows, as one transaction unless --no-atomic is given. \
            Rows are upserted by external id; customer rows without one update the live customer \
            with the same email or phone when --match says so, and are created otherwise. One bad \
            row refuses its whole batch (the whole file when atomic) unless --skip-invalid, which \
            writes the valid rows and reports the others by line. --dry-run reports what would be \
            created, updated, unchanged and failed, writing nothing. Exits 1 if crmd reports failed \
            or rejected rows, 2 if the file cannot be read.
            """
    )

    /// How many unreadable rows are listed before the rest are only counted.
    static let maxListedErrors = 200

    @OptionGroup var options: ClientOptions
    @Argument(help: "customers, orders, payments or interactions.") var kind: RecordKind
    @Argument(help: "The CSV file; - for standard input.") var file: String
    @Flag(
        name: [.customLong("dry-run"), .customLong("validate-only")],
        help: "Have crmd check every row and report what would change, writing nothing."
    )
    var validateOnly = false
    @Flag(help: "Write the valid rows and report the others, instead of refusing their batch.")
    var skipInvalid = false
    @Option(
        help: ArgumentHelp(
            "How a customer row without an external id finds the customer it updates: external_id, email or phone.",
            valueName: "key"
        )
    )
    var match: ImportMatchKey = .externalID
    @Option(help: ArgumentHelp("Records per message (orders count as one each).", valueName: "n"))
    var batchSize = 1000
    @Flag(help: "Commit each message on its own instead of the whole file as one transaction.")
    var noAtomic = false

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        if match != .externalID, kind != .customers {
            throw ValidationError("--match is for customers only")
        }
    }

    func run() async throws {
        let bytes = try readInput()
        let table: CSVTable
        do {
            table = try CSVTable(bytes: bytes)
        } catch {
            throw CommandError(.usage, "\(file): \(error)")
        }
        switch kind {
        case .customers: try await importFile(CustomerCSV.self, table)
        case .orders: try await importFile(OrderCSV.self, table)
        case .payments: try await importFile(PaymentCSV.self, table)
        case .interactions: try await importFile(InteractionCSV.self, table)
        }
    }

    private func readInput() throws -> [UInt8] {
        if file == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandError(.usage, "\(file): cannot read the file (missing or not readable)")
        }
        return Array(data)
    }

    private func importFile<Schema: CSVSchema>(_ schema: Schema.Type, _ table: CSVTable) async throws
    where Schema.Record: ImportableRecord {
        let decoded = Schema.decode(table)
        if !decoded.errors.isEmpty {
            for error in decoded.errors.prefix(Self.maxListedErrors) {
                Terminal.warn(error.description)
            }
            if decoded.errors.count > Self.maxListedErrors {
                Terminal.warn("… and \(decoded.errors.count - Self.maxListedErrors) more")
            }
            let found = "\(file): \(decoded.errors.count) problem\(decoded.errors.count == 1 ? "" : "s") found"
            // With --skip-invalid the rows that could be read still go; without, nothing does.
            guard skipInvalid else { throw CommandError(.usage, found + "; nothing was sent") }
            Terminal.warn(found + "; those rows are skipped")
        }
        let stream = ImportStream(
            records: decoded.records,
            lines: decoded.lines,
            batchSize: batchSize,
            flags: ImportFlags(
                atomic: !noAtomic,
                validateOnly: validateOnly,
                skipInvalid: skipInvalid,
                match: match.message
            ),
            showProgress: Terminal.stderrIsTerminal,
            noun: Schema.noun
        )
        let (summary, elapsed) = try await Daemon.withClient(options) { client in
            try await stream.send(client: client)
        }
        for failure in summary.failures.sorted(by: { $0.index < $1.index }) {
            Terminal.warn(ImportStream<Schema.Record>.describe(failure, lines: decoded.lines))
        }
        let line = ImportStream<Schema.Record>.summaryLine(
            noun: Schema.noun,
            summary: summary,
            source: file == "-" ? "stdin" : file,
            elapsed: elapsed,
            validateOnly: validateOnly
        )
        if options.format == .json {
            Terminal.write(try Printer.json(summary))
            Terminal.warn(line)
        } else {
            Terminal.write(line + "\n")
        }
        if summary.failed > 0 || summary.rejected > 0 || !decoded.errors.isEmpty {
            throw ExitCode(CommandError.Code.failure.rawValue)
        }
    }
}

/// `--match`: how an imported customer row without an external id is matched.
enum ImportMatchKey: String, ExpressibleByArgument, CaseIterable {
    case externalID = "external_id"
    case email
    case phone

    var message: Crm_V1_ImportMatch {
        switch self {
        case .externalID: .externalID
        case .email: .email
        case .phone: .phone
        }
    }
}

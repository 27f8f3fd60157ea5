import ArgumentParser
import CRMProto
import GRPCCore
import SwiftProtobuf

/// `crmctl audit …`: the change log, read and verified (docs/audit.md). Admin calls.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and verify the change log: who changed what, and whether anything was altered.",
        subcommands: [List.self, Verify.self]
    )

    static func service(_ client: GRPCClient<Daemon.Transport>) -> Crm_V1_AuditService.Client<Daemon.Transport> {
        Crm_V1_AuditService.Client(wrapping: client)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List change-log entries, oldest first.",
            discussion: """
                One row per entry; -o json prints every field's before and after values, -o csv one row \
                per changed field. Follow the log with --after: the last revision seen.
                """
        )

        @OptionGroup var options: ClientOptions
        @Option(
            help: ArgumentHelp(
                "Only entries about this record (customers/12) or collection (orders).",
                valueName: "name"
            )
        )
        var resource = ""
        @Option(help: ArgumentHelp("Only entries about this customer's records, its own included.", valueName: "name"))
        var customer = ""
        @Option(help: ArgumentHelp("Only changes made by this uid.", valueName: "uid"))
        var caller: UInt32?
        @Option(help: ArgumentHelp("Only entries at or after this time (RFC 3339).", valueName: "time"))
        var since: String?
        @Option(
            help: ArgumentHelp("Only entries of this method (UpdateCustomer, or its full path).", valueName: "method")
        )
        var method = ""
        @Option(help: ArgumentHelp("Only entries after this revision.", valueName: "revision"))
        var after: Int64 = 0
        @OptionGroup var paging: ChangePaging

        func run() async throws {
            var request = Crm_V1_ListChangesRequest()
            request.afterRevision = after
            request.method = method
            if !resource.isEmpty {
                request.resource =
                    resource.contains("/")
                    ? try parseFlag("--resource") { () throws(ValueError) in
                        try ResourceArgument.name(resource, collection: String(resource.prefix { $0 != "/" }))
                    } : resource
            }
            if !customer.isEmpty {
                request.customer = try parseFlag("--customer") { () throws(ValueError) in
                    try ResourceArgument.name(customer, collection: "customers")
                }
            }
            if let caller { request.callerUid = caller }
            if let since {
                request.since = try parseFlag("--since") { () throws(ValueError) in try RFC3339.parse(since) }
            }
            request.pageSize = paging.pageSize ?? 0
            let first = request
            let response = try await Daemon.withClient(options) { client in
                try await paging.collect(first) { try await service(client).listChanges($0) }
            }
            try ChangeTable.print(response.changes, response: response, options: options, next: response.nextPageToken)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the hash chain, and every live record against its latest entry.",
            discussion: """
                Exit 0 and `N entries, chain intact, head REVISION HASH` when everything holds; otherwise \
                exit 1 and one line per problem, the first bad revision first. --head takes a hash \
                crmd wrote to the journal earlier (the CHANGE_LOG_HEAD field) and checks that the chain still \
                holds it: a log cut short or rewritten from some revision on loses it.
                """
        )

        @OptionGroup var options: ClientOptions
        @Option(help: ArgumentHelp("A head hash from the journal that the chain must contain.", valueName: "hash"))
        var head = ""

        func run() async throws {
            let request = Crm_V1_VerifyChangesRequest.with { $0.expectedHead = head }
            let result = try await Daemon.withClient(options) { client in
                try await service(client).verifyChanges(request)
            }
            switch options.printer.format {
            case .json:
                Terminal.write(try Printer.json(result))
            case .csv:
                var writer = CSVWriter()
                writer.write(["revision", "resource", "problem"])
                for problem in result.problems {
                    writer.write([String(problem.revision), problem.resource, problem.description_p])
                }
                Terminal.write(writer.text)
            case .table, .wide:
                if result.intact {
                    Terminal.write(
                        "\(result.entries) entries, chain intact, head \(result.headRevision) \(result.headHash); "
                            + "\(result.recordsChecked) records match their latest entry\n"
                    )
                } else {
                    var text = "\(result.entries) entries: the change log does NOT verify\n"
                    for problem in result.problems {
                        let place = problem.revision > 0 ? "revision \(problem.revision)" : "no entry"
                        text += "\(place), \(problem.resource): \(problem.description_p)\n"
                    }
                    if result.hasExpectedHeadFound, !result.expectedHeadFound {
                        text += "the head \(head) is not in the chain: entries were removed or rewritten\n"
                    }
                    Terminal.write(text)
                }
            }
            if !result.intact { throw ExitCode(CommandError.Code.failure.rawValue) }
        }
    }
}

/// `--page-size`, `--page-token` and `--all` of the change-log listings.
struct ChangePaging: ParsableArguments {
    @Option(help: ArgumentHelp("Entries per page (default 100, at most 1000).", valueName: "n"))
    var pageSize: Int32?

    @Option(help: ArgumentHelp("Continue from the page this token names.", valueName: "token"))
    var pageToken: String = ""

    @Flag(help: "Fetch every page, following next_page_token.")
    var all = false

    /// The page `first` asks for, or with `--all` every page merged into one response.
    func collect<Request: ChangePageRequest>(
        _ first: Request,
        fetch: (Request) async throws -> Crm_V1_ListChangesResponse
    ) async throws -> Crm_V1_ListChangesResponse {
        var request = first
        var merged: Crm_V1_ListChangesResponse?
        let changes = try await Pager.collect(from: pageToken, all: all) { token in
            request.pageToken = token
            let page = try await fetch(request)
            merged = page
            return (page.changes, page.nextPageToken)
        }
        var response = merged ?? Crm_V1_ListChangesResponse()
        response.changes = changes.records
        response.nextPageToken = changes.nextPageToken
        return response
    }
}

/// The requests answered with pages of change-log entries.
protocol ChangePageRequest {
    var pageToken: String { get set }
}

extension Crm_V1_ListChangesRequest: ChangePageRequest {}
extension Crm_V1_ListHistoryRequest: ChangePageRequest {}

/// Change-log entries as a table (one row per entry), JSON, or CSV (one row per changed field).
enum ChangeTable {
    static func print(
        _ changes: [Crm_V1_Change],
        response: some SwiftProtobuf.Message,
        options: ClientOptions,
        next: String
    ) throws {
        switch options.printer.format {
        case .json:
            Terminal.write(try Printer.json(response, listing: "changes"))
        case .csv:
            var writer = CSVWriter()
            if options.printer.headers {
                writer.write([
                    "revision", "time", "uid", "pid", "executable", "method", "resource", "kind", "field", "before",
                    "after",
                ])
            }
            for change in changes {
                for field in change.fields.isEmpty ? [Crm_V1_FieldChange()] : change.fields {
                    writer.write([
                        String(change.revision), RFC3339.format(change.time), String(change.caller.uid),
                        String(change.caller.pid), change.caller.executable, change.method, change.resource,
                        kindText(change.kind), field.field, beforeText(field, change), afterText(field, change),
                    ])
                }
            }
            Terminal.write(writer.text)
        case .table, .wide:
            let wide = options.printer.format == .wide || options.printer.wide
            let headers =
                wide
                ? ["REVISION", "TIME", "UID", "PID", "EXECUTABLE", "METHOD", "RESOURCE", "KIND", "FIELDS", "HASH"]
                : ["REVISION", "TIME", "UID", "METHOD", "RESOURCE", "KIND", "FIELDS"]
            let rows = changes.map { change -> [String] in
                let fields =
                    change.fields.map(\.field).joined(separator: ",")
                    + (change.personalErased ? " (personal values erased)" : "")
                return wide
                    ? [
                        String(change.revision), RFC3339.format(change.time), String(change.caller.uid),
                        String(change.caller.pid), change.caller.executable, change.method, change.resource,
                        kindText(change.kind), fields, change.hash,
                    ]
                    : [
                        String(change.revision), RFC3339.format(change.time), String(change.caller.uid),
                        shortMethod(change.method), change.resource, kindText(change.kind), fields,
                    ]
            }
            let table = TextTable(headers: headers, rows: rows, maxColumnWidth: wide ? 70 : 40)
            Terminal.write(options.printer.headers ? table.render() : table.renderRows())
            if changes.isEmpty {
                Terminal.warn("no changes found")
            } else if !next.isEmpty {
                Terminal.warn("more results: --page-token \(next) (or --all)")
            }
        }
    }

    /// `UpdateCustomer` of `/crm.v1.CustomerService/UpdateCustomer`.
    static func shortMethod(_ method: String) -> String {
        method.hasPrefix("/") ? String(method.split(separator: "/").last ?? "") : method
    }

    static func kindText(_ kind: Crm_V1_ChangeKind) -> String {
        switch kind {
        case .create: "create"
        case .update: "update"
        case .delete: "delete"
        case .undelete: "undelete"
        case .erase: "erase"
        case .baseline: "baseline"
        case .train: "train"
        case .score: "score"
        case .event: "event"
        case .merge: "merge"
        default: "unknown"
        }
    }

    static func beforeText(_ field: Crm_V1_FieldChange, _ change: Crm_V1_Change) -> String {
        // An erasure keeps no personal value of before it.
        if field.personal, change.personalErased || change.kind == .erase { return "(erased)" }
        return field.hasBeforeJson ? field.beforeJson : ""
    }

    static func afterText(_ field: Crm_V1_FieldChange, _ change: Crm_V1_Change) -> String {
        if field.personal, change.personalErased { return "(erased)" }
        return field.hasAfterJson ? field.afterJson : ""
    }
}

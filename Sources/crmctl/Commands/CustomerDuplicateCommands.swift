import ArgumentParser
import CRMProto
import GRPCCore

/// `crmctl customer duplicates | merge`: the same person entered twice, found and merged
/// (docs/duplicates.md).
extension CustomerCommand {
    static func duplicates(_ client: GRPCClient<Daemon.Transport>) -> Crm_V1_DuplicateService.Client<Daemon.Transport> {
        Crm_V1_DuplicateService.Client(wrapping: client)
    }

    struct Duplicates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List groups of customers that are probably one person; --find searches again first.",
            discussion: """
                Groups come from the newest search (crmctl customer duplicates --find, a job over the \
                whole registry or --filter); they are kept until the next. Members merged or deleted \
                since are left out. Each group shows its score (the weakest pair), the signals that \
                matched and its members; merge one with crmctl customer merge SURVIVOR OTHER….
                """
        )

        @OptionGroup var options: ClientOptions
        @Flag(help: "Search the registry again (a job) before listing.") var find = false
        @Option(help: ArgumentHelp("With --find: compare only customers matching this filter.", valueName: "filter"))
        var filter = ""
        @Option(help: ArgumentHelp("With --find: group pairs scoring at least this (0–1).", valueName: "score"))
        var threshold: Double = 0
        @Option(help: ArgumentHelp("List only groups scoring at least this (0–1).", valueName: "score"))
        var minScore: Double = 0
        @Option(help: "Groups per page (at most 1000).") var pageSize: Int32 = 0
        @Option(help: "Continue a listing.") var pageToken = ""

        func run() async throws {
            if find {
                let job = try await Daemon.withClient(options) { client in
                    try await duplicates(client).findDuplicates(
                        .with {
                            $0.filter = filter
                            $0.threshold = threshold
                        }
                    )
                }
                let last = try await JobCommand.follow(
                    job.name,
                    options: options,
                    quiet: options.printer.format == .json
                )
                try JobCommand.requireSuccess(last)
            }
            let response = try await Daemon.withClient(options) { client in
                try await duplicates(client).listDuplicateGroups(
                    .with {
                        $0.minScore = minScore
                        $0.pageSize = pageSize
                        $0.pageToken = pageToken
                    }
                )
            }
            switch options.printer.format {
            case .json, .csv:
                Terminal.write(try Printer.json(response, listing: "groups"))
            case .table, .wide:
                var rows: [[String]] = []
                for (index, group) in response.groups.enumerated() {
                    for (position, member) in group.members.enumerated() {
                        rows.append([
                            position == 0 ? String(index + 1) : "",
                            position == 0 ? String(format: "%.2f", group.score) : "",
                            position == 0 ? group.signals.joined(separator: ",") : "",
                            member.name, member.displayName, member.email, member.phone,
                            member.address.city,
                        ])
                    }
                }
                let table = TextTable(
                    headers: ["GROUP", "SCORE", "SIGNALS", "NAME", "DISPLAY NAME", "EMAIL", "PHONE", "CITY"],
                    rows: rows
                )
                Terminal.write(options.printer.headers ? table.render() : table.renderRows())
                if !response.hasFindTime {
                    Terminal.warn("no search has run yet: crmctl customer duplicates --find")
                } else if response.groups.isEmpty {
                    Terminal.warn("no duplicate groups")
                } else if !response.nextPageToken.isEmpty {
                    Terminal.warn("more groups: --page-token \(response.nextPageToken)")
                }
            }
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge customers into one survivor: fields chosen, relations moved, the others soft-deleted.",
            discussion: """
                Each field of the survivor is the non-empty value of the most recently updated customer \
                (customer_since: the earliest) unless --take field=NAME says whose; tags and attributes \
                are unioned. Orders (with their payments), interactions and predictions move to the \
                survivor; the others are soft-deleted with merged_into set, all in one transaction. \
                --dry-run prints exactly what would change and changes nothing. Fields: display_name, \
                email, phone, company, address, lifecycle_stage, customer_since, external_id.
                """
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "The customer that stays: customers/{id} or the id.") var survivor: String
        @Argument(help: "The customers merged into it.") var others: [String]
        @Option(help: ArgumentHelp("Take a field from a customer, e.g. email=customers/7.", valueName: "field=name"))
        var take: [String] = []
        @Option(help: "Merge only if the survivor still has this etag.") var etag = ""
        @Flag(help: "Show what would change; change nothing.") var dryRun = false

        func run() async throws {
            var request = Crm_V1_MergeCustomersRequest()
            request.survivor = try parseFlag("SURVIVOR") { () throws(ValueError) in
                try ResourceArgument.name(survivor, collection: collection)
            }
            request.others = try others.map { other in
                try parseFlag("OTHER") { () throws(ValueError) in
                    try ResourceArgument.name(other, collection: collection)
                }
            }
            for pair in take {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    throw CommandError(.usage, "--take: expected field=customers/{id}, got \(pair.quotedForError)")
                }
                request.take[parts[0]] = try parseFlag("--take") { () throws(ValueError) in
                    try ResourceArgument.name(parts[1], collection: collection)
                }
            }
            request.etag = etag
            request.validateOnly = dryRun
            let first = request
            let response = try await Daemon.withClient(options) { client in
                try await duplicates(client).mergeCustomers(first)
            }
            switch options.printer.format {
            case .json, .csv:
                Terminal.write(try Printer.json(response))
            case .table, .wide:
                let rows = response.choices.map { choice in
                    [choice.field, choice.value, choice.source, choice.changed ? "changed" : ""]
                }
                var text = dryRun ? "would merge (nothing changed):\n" : ""
                text += TextTable(headers: ["FIELD", "VALUE", "FROM", ""], rows: rows).render()
                text += TextTable.details([
                    ("survivor", response.survivor.name),
                    ("merged", response.merged.map(\.name).joined(separator: ", ")),
                    ("tags", response.survivor.tags.joined(separator: ", ")),
                    (
                        "attributes",
                        response.survivor.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                            separator: ", "
                        )
                    ),
                    ("moved_orders", String(response.movedOrders)),
                    ("moved_payments", String(response.movedPayments)),
                    ("moved_interactions", String(response.movedInteractions)),
                    ("moved_predictions", String(response.movedPredictions)),
                ])
                Terminal.write(text)
            }
        }
    }
}

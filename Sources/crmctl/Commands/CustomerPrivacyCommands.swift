import ArgumentParser
import CRMProto
import GRPCCore

/// `crmctl customer history | export-data | erase`: who changed a customer, and a person's privacy
/// requests (docs/audit.md).
extension CustomerCommand {
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each change of a customer's fields over time, with who made it and when.",
            discussion: """
                One row per changed field: time, revision, the caller's uid, the method, the kind of \
                change, the field and its value before and after (JSON). --related adds the changes of \
                the customer's orders, payments and interactions. -o json prints the entries whole.
                """
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "customers/{id} or the id.") var name: String
        @Flag(help: "Include the changes of the customer's orders, payments and interactions.")
        var related = false
        @OptionGroup var paging: ChangePaging

        func run() async throws {
            var request = Crm_V1_ListHistoryRequest()
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            request.includeRelated = related
            request.pageSize = paging.pageSize ?? 0
            let first = request
            let response = try await Daemon.withClient(options) { client in
                try await paging.collect(first) { try await AuditCommand.service(client).listHistory($0) }
            }
            switch options.printer.format {
            case .json, .csv:
                try ChangeTable.print(
                    response.changes,
                    response: response,
                    options: options,
                    next: response.nextPageToken
                )
            case .table, .wide:
                var rows: [[String]] = []
                for change in response.changes {
                    // A creation lists every field: only those that say something. The version moves
                    // with every change and says nothing here.
                    let fields = change.fields.filter { field in
                        field.field != "version"
                            && (change.kind != .create && change.kind != .baseline
                                || !["\"\"", "null", "[]", "{}"].contains(field.afterJson))
                    }
                    if change.personalErased {
                        rows.append([
                            RFC3339.format(change.time), String(change.revision), String(change.caller.uid),
                            ChangeTable.shortMethod(change.method),
                            request.includeRelated ? change.resource : ChangeTable.kindText(change.kind),
                            "(personal fields)", "(erased)", "(erased)",
                        ])
                    }
                    for field in fields {
                        rows.append([
                            RFC3339.format(change.time), String(change.revision), String(change.caller.uid),
                            ChangeTable.shortMethod(change.method),
                            request.includeRelated ? change.resource : ChangeTable.kindText(change.kind),
                            field.field, ChangeTable.beforeText(field, change), ChangeTable.afterText(field, change),
                        ])
                    }
                }
                let table = TextTable(
                    headers: [
                        "TIME", "REVISION", "UID", "METHOD", request.includeRelated ? "RESOURCE" : "KIND", "FIELD",
                        "BEFORE", "AFTER",
                    ],
                    rows: rows
                )
                Terminal.write(options.printer.headers ? table.render() : table.renderRows())
                if !response.nextPageToken.isEmpty {
                    Terminal.warn("more results: --page-token \(response.nextPageToken) (or --all)")
                }
            }
        }
    }

    struct ExportData: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-data",
            abstract: "Everything held about one person, as one JSON document (admin).",
            discussion: """
                The customer, its orders, payments, interactions, the latest score of each model, and \
                every change-log entry about them, with the caller of each. Written to standard output, \
                or to --out FILE (created 0600).
                """
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "customers/{id} or the id.") var name: String
        @Option(help: ArgumentHelp("Write the document to this file instead.", valueName: "file"))
        var out: String?

        func run() async throws {
            var request = Crm_V1_ExportCustomerDataRequest()
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            let sent = request
            let document = try await Daemon.withClient(options) { client in
                try await Crm_V1_PrivacyService.Client(wrapping: client).exportCustomerData(sent)
            }
            let text = try Printer.json(document)
            if let out {
                try OutputFile.write(text, to: out, mode: 0o600)
                Terminal.warn(
                    "wrote \(out): \(document.orders.count) orders, \(document.payments.count) payments, "
                        + "\(document.interactions.count) interactions, \(document.changes.count) change-log entries"
                )
            } else {
                Terminal.write(text)
            }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a person's data on their request (admin; cannot be undone).",
            discussion: """
                Anonymises the name, email, phone, address and attributes, and the subjects and bodies \
                of the customer's interactions; purges them from the search index; destroys the key that \
                seals them in the change log, whose chain still verifies. Orders and payments stay, for \
                the accounts. Needs --yes.
                """
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "customers/{id} or the id.") var name: String
        @Option(help: ArgumentHelp("Only erase if the customer still has this etag.", valueName: "etag"))
        var etag = ""
        @Flag(help: "Confirm: the person's data cannot be brought back.")
        var yes = false

        func validate() throws {
            guard yes else {
                throw ValidationError("erasure cannot be undone: add --yes to erase \(name)")
            }
        }

        func run() async throws {
            var request = Crm_V1_EraseCustomerRequest()
            request.etag = etag
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            let sent = request
            let response = try await Daemon.withClient(options) { client in
                try await Crm_V1_PrivacyService.Client(wrapping: client).eraseCustomer(sent)
            }
            try options.printer.record(response.customer)
        }
    }
}

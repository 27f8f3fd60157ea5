import ArgumentParser

/// Flags shared by every `list` command.
struct ListOptions: ParsableArguments {
    @Option(help: ArgumentHelp("AIP-160 filter, e.g. 'lifecycle_stage = \"customer\"'.", valueName: "expr"))
    var filter: String = ""

    @Option(help: ArgumentHelp("Comma-separated fields, each optionally followed by ' desc'.", valueName: "fields"))
    var orderBy: String = ""

    @Option(help: ArgumentHelp("Results per page (default 50; more than 1000 counts as 1000).", valueName: "n"))
    var pageSize: Int32?

    @Option(help: ArgumentHelp("Continue from the page this token names.", valueName: "token"))
    var pageToken: String = ""

    @Flag(help: "Fetch every page, following next_page_token.")
    var all = false

    func validate() throws {
        guard (pageSize ?? 0) >= 0 else {
            throw ValidationError("--page-size must not be negative")
        }
    }
}

/// `--customer NAME` of the order, payment and interaction lists: only that customer's records.
struct CustomerScope: ParsableArguments {
    @Option(help: ArgumentHelp("Only the records of this customer: customers/{id} or the id.", valueName: "name"))
    var customer: String?

    /// `list` with its filter narrowed to the customer, when one is given.
    func narrowing(_ list: ListOptions) throws -> ListOptions {
        guard let customer else { return list }
        let name = try parseFlag("--customer") { () throws(ValueError) in
            try ResourceArgument.name(customer, collection: "customers")
        }
        var narrowed = list
        let scope = "customer = \"\(name)\""
        narrowed.filter = list.filter.isEmpty ? scope : "\(scope) AND (\(list.filter))"
        return narrowed
    }
}

import ArgumentParser
import CRMProto
import GRPCCore
import SwiftProtobuf

/// `crmctl customer …`: create, read, list, search, update, delete and undelete customers.
struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Manage customers.",
        subcommands: [
            Create.self, Get.self, Show.self, List.self, Search.self, Update.self, Delete.self, Undelete.self,
            History.self, ExportData.self, Erase.self, Duplicates.self, Merge.self,
        ]
    )

    static let collection = "customers"

    static func service(_ client: GRPCClient<Daemon.Transport>) -> Crm_V1_CustomerService.Client<Daemon.Transport> {
        Crm_V1_CustomerService.Client(wrapping: client)
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a customer.")

        @OptionGroup var options: ClientOptions
        @OptionGroup var fields: CustomerFields

        func validate() throws {
            guard let name = fields.displayName, !name.trimmingSpaces.isEmpty else {
                throw ValidationError("--display-name is required")
            }
        }

        func run() async throws {
            var customer = Crm_V1_Customer()
            _ = try fields.apply(to: &customer)
            let request = Crm_V1_CreateCustomerRequest.with { $0.customer = customer }
            let created = try await Daemon.withClient(options) { client in
                try await service(client).createCustomer(request)
            }
            try options.printer.record(created)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a customer, by name, external id or email.",
            discussion: "crmctl customer get customers/7 | --external-id C000007 | --email ada@example.com"
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "customers/{id} or the id.") var name: String?
        @Option(name: .customLong("external-id"), help: ArgumentHelp("Find by external id.", valueName: "id"))
        var externalID: String?
        @Option(help: ArgumentHelp("Find by email (among customers not deleted).", valueName: "address"))
        var email: String?
        @Flag(help: "With --external-id: also find a deleted customer.") var showDeleted = false

        func validate() throws {
            guard [name != nil, externalID != nil, email != nil].filter({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of NAME, --external-id and --email")
            }
        }

        func run() async throws {
            let customer: Crm_V1_Customer
            if let name {
                var request = Crm_V1_GetCustomerRequest()
                request.name = try parseFlag("NAME") { () throws(ValueError) in
                    try ResourceArgument.name(name, collection: collection)
                }
                let sent = request
                customer = try await Daemon.withClient(options) { client in try await service(client).getCustomer(sent)
                }
            } else {
                var request = Crm_V1_LookupCustomerRequest()
                if let externalID { request.externalID = externalID }
                if let email { request.email = email }
                request.showDeleted = showDeleted
                let sent = request
                customer = try await Daemon.withClient(options) { client in
                    try await service(client).lookupCustomer(sent)
                }
            }
            try options.printer.record(customer)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List customers.")

        @OptionGroup var options: ClientOptions
        @OptionGroup var list: ListOptions
        @Flag(help: "Include soft-deleted customers.") var showDeleted = false

        func run() async throws {
            let request = Crm_V1_ListCustomersRequest.with { $0.showDeleted = showDeleted }
            try await list.run(request, options: options) { client, request in
                try await service(client).listCustomers(request)
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Full-text search over display name, email, phone and company."
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "Words to match; each is matched as a prefix.") var query: String
        @Option(help: ArgumentHelp("Results per page (default 50).", valueName: "n")) var pageSize: Int32?
        @Option(help: ArgumentHelp("Continue from this page.", valueName: "token")) var pageToken = ""
        @Flag(help: "Fetch every page.") var all = false
        @Flag(help: "Include soft-deleted customers.") var showDeleted = false

        func run() async throws {
            let (query, pageSize, pageToken, all, showDeleted) = (query, pageSize, pageToken, all, showDeleted)
            let result = try await Daemon.withClient(options) { client in
                try await Pager.collect(from: pageToken, all: all) { token in
                    let response = try await service(client).searchCustomers(
                        .with {
                            $0.query = query
                            $0.pageSize = pageSize ?? 0
                            $0.pageToken = token
                            $0.showDeleted = showDeleted
                        }
                    )
                    return (response.customers, response.nextPageToken)
                }
            }
            let response = Crm_V1_SearchCustomersResponse.with {
                $0.customers = result.records
                $0.nextPageToken = result.nextPageToken
            }
            try options.printer.list(
                result.records,
                response: response,
                recordsKey: "customers",
                nextPageToken: result.nextPageToken
            )
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the fields given, and only those.",
            discussion: """
                Only the flags given are written (they make the update mask). --tag and --attr \
                replace the whole list or map; --clear-tags and --clear-attrs empty them. \
                --add-tag/--remove-tag change one tag and keep the others (read, changed, written \
                back with the etag read, retried when someone else wrote in between); \
                --set-attr/--unset-attr change one attribute. An empty value (--email "") clears a \
                field.
                """
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "customers/{id} or the id.") var name: String
        @OptionGroup var fields: CustomerFields
        @Option(
            name: .customLong("add-tag"),
            help: ArgumentHelp("Add a tag, keep the others (repeatable).", valueName: "tag")
        )
        var addTags: [String] = []
        @Option(
            name: .customLong("remove-tag"),
            help: ArgumentHelp("Remove a tag, keep the others (repeatable).", valueName: "tag")
        )
        var removeTags: [String] = []
        @Option(
            name: .customLong("set-attr"),
            help: ArgumentHelp("Set one attribute, keep the others (repeatable).", valueName: "key=value")
        )
        var setAttributes: [String] = []
        @Option(
            name: .customLong("unset-attr"),
            help: ArgumentHelp("Remove one attribute, keep the others (repeatable).", valueName: "key")
        )
        var unsetAttributes: [String] = []
        @Option(help: ArgumentHelp("Only update if the customer still has this etag.", valueName: "etag"))
        var etag: String?

        /// Attempts of a read-change-write of the tags when another writer got in between.
        static let tagAttempts = 3

        func validate() throws {
            if !(addTags.isEmpty && removeTags.isEmpty), !fields.tags.isEmpty || fields.clearTags {
                throw ValidationError("--add-tag/--remove-tag and --tag/--clear-tags exclude each other")
            }
            if !(setAttributes.isEmpty && unsetAttributes.isEmpty), !fields.attributes.isEmpty || fields.clearAttrs {
                throw ValidationError("--set-attr/--unset-attr and --attr/--clear-attrs exclude each other")
            }
        }

        func run() async throws {
            var customer = Crm_V1_Customer()
            customer.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            var paths = try fields.apply(to: &customer)
            for pair in setAttributes {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                    throw CommandError(.usage, "--set-attr: expected key=value, got \(pair.quotedForError)")
                }
                let key = String(pair[..<equals])
                customer.attributes[key] = String(pair[pair.index(after: equals)...])
                paths.append("attributes.\(key)")
            }
            for key in unsetAttributes {
                customer.attributes[key] = nil
                paths.append("attributes.\(key)")
            }
            let editsTags = !(addTags.isEmpty && removeTags.isEmpty)
            if editsTags { paths.append("tags") }
            guard !paths.isEmpty else {
                throw CommandError(
                    .usage,
                    "nothing to update: give at least one field flag (see crmctl customer update --help)"
                )
            }
            if let etag { customer.etag = etag }
            let (template, mask, addTags, removeTags, pinned) = (customer, paths, addTags, removeTags, etag != nil)
            let updated = try await Daemon.withClient(options) { client in
                var attempt = 1
                while true {
                    var sent = template
                    if editsTags {
                        let stored = try await service(client).getCustomer(.with { $0.name = template.name })
                        var tags = stored.tags.filter { !removeTags.contains($0) }
                        for tag in addTags where !tags.contains(tag) { tags.append(tag) }
                        sent.tags = tags
                        if !pinned { sent.etag = stored.etag }
                    }
                    let request = Crm_V1_UpdateCustomerRequest.with {
                        $0.customer = sent
                        $0.updateMask = Google_Protobuf_FieldMask(protoPaths: mask)
                    }
                    do {
                        return try await service(client).updateCustomer(request)
                    } catch let error as RPCError where error.code == .aborted && editsTags && !pinned {
                        // Someone wrote the customer between our read and write: read again.
                        guard attempt < Self.tagAttempts else { throw error }
                        attempt += 1
                    }
                }
            }
            try options.printer.record(updated)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Soft-delete a customer (undelete brings it back).")

        @OptionGroup var options: ClientOptions
        @Argument(help: "customers/{id} or the id.") var name: String
        @Option(help: ArgumentHelp("Only delete if the customer still has this etag.", valueName: "etag"))
        var etag = ""

        func run() async throws {
            var request = Crm_V1_DeleteCustomerRequest()
            request.etag = etag
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            let sent = request
            let deleted = try await Daemon.withClient(options) { client in
                try await service(client).deleteCustomer(sent)
            }
            try options.printer.record(deleted)
        }
    }

    struct Undelete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restore a soft-deleted customer.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "customers/{id} or the id.") var name: String
        @Option(help: ArgumentHelp("Only undelete if the customer still has this etag.", valueName: "etag"))
        var etag = ""

        func run() async throws {
            var request = Crm_V1_UndeleteCustomerRequest()
            request.etag = etag
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            let sent = request
            let restored = try await Daemon.withClient(options) { client in
                try await service(client).undeleteCustomer(sent)
            }
            try options.printer.record(restored)
        }
    }
}

/// The writable fields of a customer as flags, shared by `create` and `update`.
struct CustomerFields: ParsableArguments {
    @Option(help: ArgumentHelp("How the customer is shown (1–200 characters).", valueName: "text"))
    var displayName: String?
    @Option(help: ArgumentHelp("Email address.", valueName: "address")) var email: String?
    @Option(help: ArgumentHelp("Phone number; normalised to E.164 when the country is known.", valueName: "number"))
    var phone: String?
    @Option(help: ArgumentHelp("Company or organisation.", valueName: "text")) var company: String?
    @Option(help: ArgumentHelp("Street and number.", valueName: "text")) var street: String?
    @Option(help: ArgumentHelp("City.", valueName: "text")) var city: String?
    @Option(help: ArgumentHelp("Region, state or province.", valueName: "text")) var region: String?
    @Option(help: ArgumentHelp("Postal code.", valueName: "text")) var postalCode: String?
    @Option(help: ArgumentHelp("ISO 3166-1 alpha-2 country code, e.g. DE.", valueName: "code")) var country: String?
    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag (repeatable); replaces all tags.", valueName: "tag"))
    var tags: [String] = []
    @Flag(help: "Remove every tag.") var clearTags = false
    @Option(
        name: .customLong("attr"),
        help: ArgumentHelp("A custom field (repeatable); replaces all attributes.", valueName: "key=value")
    )
    var attributes: [String] = []
    @Flag(help: "Remove every attribute.") var clearAttrs = false
    @Option(name: .customLong("external-id"), help: ArgumentHelp("Key in another system.", valueName: "id"))
    var externalID: String?
    @Option(help: ArgumentHelp("lead, prospect, customer or churned.", valueName: "stage")) var stage: String?
    @Option(help: ArgumentHelp("Customer since: RFC 3339 time or YYYY-MM-DD.", valueName: "time")) var since: String?

    func validate() throws {
        if clearTags, !tags.isEmpty { throw ValidationError("--clear-tags and --tag exclude each other") }
        if clearAttrs, !attributes.isEmpty { throw ValidationError("--clear-attrs and --attr exclude each other") }
    }

    /// Writes the flags given into `customer` and returns the update-mask paths they stand for.
    func apply(to customer: inout Crm_V1_Customer) throws(CommandError) -> [String] {
        var paths: [String] = []
        func set(_ value: String?, _ path: String, _ write: (String) -> Void) {
            guard let value else { return }
            write(value)
            paths.append(path)
        }
        set(displayName, "display_name") { customer.displayName = $0 }
        set(email, "email") { customer.email = $0 }
        set(phone, "phone") { customer.phone = $0 }
        set(company, "company") { customer.company = $0 }
        set(street, "address.street") { customer.address.street = $0 }
        set(city, "address.city") { customer.address.city = $0 }
        set(region, "address.region") { customer.address.region = $0 }
        set(postalCode, "address.postal_code") { customer.address.postalCode = $0 }
        set(country, "address.country") { customer.address.country = $0.uppercased() }
        if !tags.isEmpty || clearTags {
            customer.tags = tags
            paths.append("tags")
        }
        if !attributes.isEmpty || clearAttrs {
            var map: [String: String] = [:]
            for pair in attributes {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                    throw CommandError(.usage, "--attr: expected key=value, got \(pair.quotedForError)")
                }
                map[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            customer.attributes = map
            paths.append("attributes")
        }
        set(externalID, "external_id") { customer.externalID = $0 }
        if let stage {
            customer.lifecycleStage = try parseFlag("--stage") { () throws(ValueError) in
                try Crm_V1_LifecycleStage.parse(label: stage)
            }
            paths.append("lifecycle_stage")
        }
        if let since {
            if let time = try parseFlag("--since", { () throws(ValueError) in try RFC3339.parseOptional(since) }) {
                customer.customerSince = time
            }
            paths.append("customer_since")
        }
        return paths
    }
}

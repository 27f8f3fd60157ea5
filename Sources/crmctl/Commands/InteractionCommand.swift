import ArgumentParser
import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf

/// `crmctl interaction …`: log, read and list visits, calls, emails, meetings and notes.
struct InteractionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interaction",
        abstract: "Manage interactions (visits, calls, emails, meetings, notes).",
        subcommands: [Create.self, Get.self, List.self, Update.self, Delete.self]
    )

    static let collection = "interactions"

    static func service(_ client: GRPCClient<Daemon.Transport>) -> Crm_V1_InteractionService.Client<Daemon.Transport> {
        Crm_V1_InteractionService.Client(wrapping: client)
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Log an interaction with a customer.")

        @OptionGroup var options: ClientOptions
        @Option(help: ArgumentHelp("The customer: customers/{id} or the id.", valueName: "name")) var customer: String?
        @Option(
            name: .customLong("customer-external-id"),
            help: ArgumentHelp("The customer's external id.", valueName: "id")
        )
        var customerExternalID: String?
        @Option(help: ArgumentHelp("\(Crm_V1_InteractionKind.labelList).", valueName: "kind")) var kind: String
        @Option(help: ArgumentHelp("\(Crm_V1_Direction.labelList).", valueName: "direction")) var direction: String?
        @Option(help: ArgumentHelp("When it happened: RFC 3339 or YYYY-MM-DD (default: now).", valueName: "time"))
        var time: String?
        @Option(help: ArgumentHelp("One line; up to 500 characters.", valueName: "text")) var subject: String?
        @Option(help: ArgumentHelp("The full text.", valueName: "text")) var body: String?
        @Option(help: ArgumentHelp("What came of it, e.g. interested, no-answer, complaint.", valueName: "outcome"))
        var outcome: String?
        @Option(help: ArgumentHelp("What it was about, e.g. a product category.", valueName: "topic")) var topic:
            String?
        @Option(help: ArgumentHelp("How long: 300, 300s, 5m or 1h30m.", valueName: "duration")) var duration: String?
        @Option(name: .customLong("external-id"), help: ArgumentHelp("Key in the OA system.", valueName: "id"))
        var externalID: String?

        func validate() throws {
            guard (customer == nil) != (customerExternalID == nil) else {
                throw ValidationError("give exactly one of --customer and --customer-external-id")
            }
        }

        func run() async throws {
            var interaction = Crm_V1_Interaction()
            if let customer {
                interaction.customer = try parseFlag("--customer") { () throws(ValueError) in
                    try ResourceArgument.name(customer, collection: CustomerCommand.collection)
                }
            }
            if let customerExternalID { interaction.customerExternalID = customerExternalID }
            interaction.kind = try parseFlag("--kind") { () throws(ValueError) in
                try Crm_V1_InteractionKind.parse(label: kind)
            }
            if let direction {
                interaction.direction = try parseFlag("--direction") { () throws(ValueError) in
                    try Crm_V1_Direction.parse(label: direction)
                }
            }
            if let time {
                interaction.occurTime = try parseFlag("--time") { () throws(ValueError) in try RFC3339.parse(time) }
            } else {
                interaction.occurTime = Google_Protobuf_Timestamp(date: Date())
            }
            if let subject { interaction.subject = subject }
            if let body { interaction.body = body }
            if let outcome { interaction.outcome = outcome }
            if let topic { interaction.topic = topic }
            if let duration {
                let seconds = try parseFlag("--duration") { () throws(ValueError) in try DurationText.seconds(duration)
                }
                guard let narrow = Int32(exactly: seconds) else {
                    throw CommandError(.usage, "--duration: too long")
                }
                interaction.durationSeconds = narrow
            }
            if let externalID { interaction.externalID = externalID }
            let request = Crm_V1_CreateInteractionRequest.with { $0.interaction = interaction }
            let created = try await Daemon.withClient(options) { client in
                try await service(client).createInteraction(request)
            }
            try options.printer.record(created)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an interaction.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "interactions/{id} or the id.") var name: String

        func run() async throws {
            var request = Crm_V1_GetInteractionRequest()
            request.name = try parseFlag("NAME") { () throws(ValueError) in
                try ResourceArgument.name(name, collection: collection)
            }
            let sent = request
            let interaction = try await Daemon.withClient(options) { client in
                try await service(client).getInteraction(sent)
            }
            try options.printer.record(interaction)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List interactions.",
            discussion: "Filter fields: customer, kind, direction, occur_time, outcome, topic, external_id."
        )

        @OptionGroup var options: ClientOptions
        @OptionGroup var list: ListOptions
        @OptionGroup var scope: CustomerScope

        func run() async throws {
            try await scope.narrowing(list).run(Crm_V1_ListInteractionsRequest(), options: options) { client, request in
                try await service(client).listInteractions(request)
            }
        }
    }
}

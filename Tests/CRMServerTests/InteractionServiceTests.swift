import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

extension RunningServer {
    func createInteraction(_ interaction: Crm_V1_Interaction) async throws -> Crm_V1_Interaction {
        var request = Crm_V1_CreateInteractionRequest()
        request.interaction = interaction
        return try await interactions.createInteraction(request)
    }

    func listInteractions(filter: String = "", orderBy: String = "") async throws -> Crm_V1_ListInteractionsResponse {
        var request = Crm_V1_ListInteractionsRequest()
        request.filter = filter
        request.orderBy = orderBy
        return try await interactions.listInteractions(request)
    }

    func importInteractions(_ batches: [[Crm_V1_Interaction]]) async throws -> Crm_V1_ImportSummary {
        try await interactions.importInteractions(requestProducer: { writer in
            for batch in batches {
                var message = Crm_V1_ImportInteractionsRequest()
                message.interactions = batch
                try await writer.write(message)
            }
        })
    }
}

@Suite("InteractionService end to end: communication records")
struct InteractionServiceTests {
    @Test("create and get keep every field")
    func createAndGet() async throws {
        try await withInProcessServer { server in
            let customer = try await server.createCustomer(Fixture.customer("Talker", externalID: "C-T"))
            var sent = Fixture.interaction(
                customer: customer.name,
                externalID: "OA-1",
                kind: .meeting,
                direction: .inbound
            )
            sent.body = "Discussed the spring catalogue.\nWants a quote."
            let created = try await server.createInteraction(sent)
            #expect(created.name.wholeMatch(of: /interactions\/[1-9][0-9]*/) != nil, "name \(created.name)")
            #expect(created.customer == customer.name)
            #expect(created.customerExternalID == "C-T")
            #expect(created.kind == .meeting)
            #expect(created.direction == .inbound)
            #expect(created.occurTime == Fixture.timestamp("2024-03-01T10:00:00Z"))
            #expect(created.subject == "Follow-up")
            #expect(created.body == sent.body)
            #expect(created.outcome == "interested")
            #expect(created.topic == "garden")
            #expect(created.durationSeconds == 300)
            #expect(created.hasCreateTime)

            var get = Crm_V1_GetInteractionRequest()
            get.name = created.name
            #expect(try await server.interactions.getInteraction(get) == created)
            get.name = "interactions/999999"
            await expectRPCError(.notFound, "unknown interaction") { try await server.interactions.getInteraction(get) }
        }
    }

    @Test("list filters by customer, kind and occur_time range")
    func listFilters() async throws {
        try await withInProcessServer { server in
            let ann = try await server.createCustomer(Fixture.customer("Ann"))
            let bo = try await server.createCustomer(Fixture.customer("Bo"))
            var names: [String: String] = [:]
            for (key, who, kind, time) in [
                ("ann-call-jan", ann, Crm_V1_InteractionKind.call, "2024-01-10T09:00:00Z"),
                ("ann-visit-feb", ann, .visit, "2024-02-10T09:00:00Z"),
                ("ann-call-mar", ann, .call, "2024-03-10T09:00:00Z"),
                ("bo-call-feb", bo, .call, "2024-02-20T09:00:00Z"),
                ("bo-note-feb", bo, .note, "2024-02-21T09:00:00Z"),
            ] {
                names[key] = try await server.createInteraction(
                    Fixture.interaction(customer: who.name, kind: kind, time: time)
                ).name
            }
            func listed(_ filter: String) async throws -> Set<String> {
                let page = try await server.listInteractions(filter: filter)
                #expect(page.totalSize == Int64(page.interactions.count), "total_size for \(filter)")
                return Set(page.interactions.map(\.name))
            }
            #expect(
                try await listed("customer = \"\(ann.name)\"") == [
                    names["ann-call-jan"]!, names["ann-visit-feb"]!, names["ann-call-mar"]!,
                ]
            )
            #expect(
                try await listed("kind = \"call\"") == [
                    names["ann-call-jan"]!, names["ann-call-mar"]!, names["bo-call-feb"]!,
                ]
            )
            let february = #"occur_time >= "2024-02-01T00:00:00Z" AND occur_time < "2024-03-01T00:00:00Z""#
            #expect(
                try await listed(february) == [names["ann-visit-feb"]!, names["bo-call-feb"]!, names["bo-note-feb"]!]
            )
            #expect(
                try await listed("customer = \"\(bo.name)\" AND kind = \"call\" AND \(february)") == [
                    names["bo-call-feb"]!
                ]
            )

            let ordered = try await server.listInteractions(orderBy: "occur_time desc")
            #expect(ordered.interactions.first?.name == names["ann-call-mar"])
        }
    }

    @Test("validation names the field and writes nothing")
    func validation() async throws {
        try await withInProcessServer { server in
            let who = try await server.createCustomer(Fixture.customer("Who"))
            var noTime = Fixture.interaction(customer: who.name)
            noTime.clearOccurTime()
            let cases: [(String, Crm_V1_Interaction)] = [
                ("interaction.kind", Fixture.interaction(customer: who.name, kind: .unspecified)),
                ("interaction.occur_time", noTime),
                ("interaction.duration_seconds", Fixture.interaction(customer: who.name, duration: 86_401)),
                ("interaction.duration_seconds", Fixture.interaction(customer: who.name, duration: -1)),
                (
                    "interaction.subject",
                    Fixture.interaction(customer: who.name, subject: String(repeating: "s", count: 501))
                ),
                (
                    "interaction.outcome",
                    Fixture.interaction(customer: who.name, outcome: String(repeating: "o", count: 65))
                ),
                ("interaction.customer", Fixture.interaction()),
            ]
            for (field, interaction) in cases {
                await expectRPCError(.invalidArgument, field: field, "interaction with bad \(field)") {
                    try await server.createInteraction(interaction)
                }
            }
            await expectRPCError(oneOf: [.notFound, .invalidArgument, .failedPrecondition], "unknown customer") {
                try await server.createInteraction(Fixture.interaction(customer: "customers/999999"))
            }
            _ = try await server.createInteraction(Fixture.interaction(customer: who.name, externalID: "OA-7"))
            await expectRPCError(.alreadyExists, "duplicate interaction external_id") {
                try await server.createInteraction(Fixture.interaction(customer: who.name, externalID: "OA-7"))
            }
            await expectRPCError(.invalidArgument, field: "filter", "bad filter") {
                try await server.listInteractions(filter: "kind = ")
            }
            #expect(try await server.stats().interactions == 1, "only the one valid record was written")
        }
    }

    @Test("import upserts by external_id; unknown customer external ids are failure rows")
    func importInteractions() async throws {
        try await withInProcessServer { server in
            _ = try await server.importCustomers([[Fixture.customer("Ann", externalID: "C-A")]])
            let rows = [
                Fixture.interaction(
                    customerExternalID: "C-A",
                    externalID: "I-1",
                    kind: .email,
                    time: "2024-01-01T08:00:00Z"
                ),
                Fixture.interaction(
                    customerExternalID: "C-A",
                    externalID: "I-2",
                    kind: .visit,
                    time: "2024-01-02T08:00:00Z"
                ),
            ]
            let first = try await server.importInteractions([rows])
            #expect(first.created == 2)
            var changed = rows
            changed[0].outcome = "order"
            let second = try await server.importInteractions([
                changed, [Fixture.interaction(customerExternalID: "C-NOPE", externalID: "I-3")],
            ])
            #expect(second.updated == 1)
            #expect(second.unchanged == 1)
            #expect(second.failed == 1)
            #expect(second.failures.first?.index == 2)
            #expect(second.failures.first?.externalID == "I-3")

            let listed = try await server.listInteractions(filter: #"external_id = "I-1""#)
            #expect(listed.interactions.first?.outcome == "order")
            #expect(try await server.stats().interactions == 2)
        }
    }
}

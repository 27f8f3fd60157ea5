import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

/// Correcting records: UpdatePayment, DeletePayment, UpdateInteraction, DeleteInteraction and the crmctl
/// commands over them.
@Suite("Correcting payments and interactions")
struct CorrectionTests {
    @Test("the API: masks, etags and validation name the field and change nothing; deletes remove")
    func api() async throws {
        try await withInProcessServer { server in
            let buyer = try await server.createCustomer(Fixture.customer("Buyer"))
            let other = try await server.createCustomer(Fixture.customer("Other"))
            let order = try await server.createOrder(
                Fixture.order(
                    customer: buyer.name,
                    items: [Fixture.lineItem("Desk", category: "furniture", quantity: 1, unitPrice: 25_000)]
                )
            )
            let payment = try await server.createPayment(Fixture.payment(order: order.name, amount: 10_000))
            #expect(payment.etag == "\"1\"" && payment.hasUpdateTime)

            var change = Crm_V1_UpdatePaymentRequest()
            change.payment.name = payment.name
            change.payment.etag = payment.etag
            change.payment.amountMinor = 12_500
            change.payment.method = "transfer"
            let corrected = try await server.orders.updatePayment(change)
            #expect(corrected.amountMinor == 12_500 && corrected.method == "transfer" && corrected.etag == "\"2\"")
            #expect(try await server.getOrder(order.name).paidMinor == 12_500)

            await expectRPCError(.aborted, "stale etag") { try await server.orders.updatePayment(change) }
            var negative = change
            negative.payment.etag = ""
            negative.payment.amountMinor = -5
            negative.updateMask = Fixture.mask("amount_minor")
            await expectRPCError(.invalidArgument, field: "payment.amount_minor") {
                try await server.orders.updatePayment(negative)
            }
            var outputOnly = change
            outputOnly.payment.etag = ""
            outputOnly.updateMask = Fixture.mask("customer")
            await expectRPCError(.invalidArgument, field: "update_mask.paths[0]") {
                try await server.orders.updatePayment(outputOnly)
            }
            #expect(try await server.orders.getPayment(.with { $0.name = payment.name }).etag == "\"2\"")

            await expectRPCError(.aborted, "stale delete") {
                try await server.orders.deletePayment(
                    .with {
                        $0.name = payment.name
                        $0.etag = "\"1\""
                    }
                )
            }
            _ = try await server.orders.deletePayment(
                .with {
                    $0.name = payment.name
                    $0.etag = "\"2\""
                }
            )
            #expect(try await server.getOrder(order.name).paidMinor == 0)
            await expectRPCError(.notFound) { try await server.orders.getPayment(.with { $0.name = payment.name }) }
            await expectRPCError(.notFound) { try await server.orders.deletePayment(.with { $0.name = payment.name }) }

            let contact = try await server.interactions.createInteraction(
                .with { $0.interaction = Fixture.interaction(customer: buyer.name, subject: "Called") }
            )
            var move = Crm_V1_UpdateInteractionRequest()
            move.interaction.name = contact.name
            move.interaction.customer = other.name
            move.interaction.outcome = "order"
            move.updateMask = Fixture.mask("customer", "outcome")
            let moved = try await server.interactions.updateInteraction(move)
            #expect(moved.customer == other.name && moved.outcome == "order" && moved.subject == "Called")
            var bad = move
            bad.interaction.durationSeconds = 100_000
            bad.updateMask = Fixture.mask("duration_seconds")
            await expectRPCError(.invalidArgument, field: "interaction.duration_seconds") {
                try await server.interactions.updateInteraction(bad)
            }
            var unknown = move
            unknown.interaction.customer = "customers/999"
            await expectRPCError(.notFound, field: "interaction.customer") {
                try await server.interactions.updateInteraction(unknown)
            }
            _ = try await server.interactions.deleteInteraction(.with { $0.name = contact.name })
            await expectRPCError(.notFound) {
                try await server.interactions.getInteraction(.with { $0.name = contact.name })
            }
        }
    }

    @Test("crmctl order update, payment update/delete and interaction update/delete")
    func throughCrmctl() async throws {
        try await withDaemon { daemon in
            let buyer = try await daemon.createCustomer(Fixture.customer("Buyer"))
            let order = try await daemon.createOrder(
                Fixture.order(
                    customer: buyer.name,
                    currency: "JPY",
                    items: [Fixture.lineItem("Tea", category: "food", quantity: 1, unitPrice: 1_000)]
                )
            )
            let relined = try await daemon.crmctl([
                "order", "update", order.name, "--item", "sku=T-2,name=Green tea,category=food,qty=3,price=1200",
                "--status", "confirmed", "-o", "json",
            ])
            try #require(relined.succeeded, "\(relined)")
            let updatedOrder = try Crm_V1_Order(jsonString: relined.stdout)
            #expect(updatedOrder.totalMinor == 3_600, "priced in the order's yen: \(updatedOrder)")
            #expect(updatedOrder.status == .confirmed)

            let payment = try await daemon.createPayment(
                Fixture.payment(order: order.name, amount: 1_000, currency: "JPY")
            )
            let paid = try await daemon.crmctl([
                "payment", "update", payment.name, "--amount", "3600", "--method", "cash", "-o", "json",
            ])
            try #require(paid.succeeded, "\(paid)")
            #expect(try Crm_V1_Payment(jsonString: paid.stdout).amountMinor == 3_600)
            let stale = try await daemon.crmctl([
                "payment", "update", payment.name, "--method", "card", "--etag", payment.etag,
            ])
            #expect(stale.exitCode == 4, "\(stale)")
            let nothing = try await daemon.crmctl(["payment", "update", payment.name])
            #expect(nothing.exitCode == 2, "\(nothing)")
            let removed = try await daemon.crmctl(["payment", "delete", payment.name])
            #expect(removed.succeeded && removed.stderr.contains("deleted \(payment.name)"), "\(removed)")
            #expect(try await daemon.getOrder(order.name).paidMinor == 0)

            let contact = try await daemon.interactions.createInteraction(
                .with { $0.interaction = Fixture.interaction(customer: buyer.name, subject: "Typo") }
            )
            let fixed = try await daemon.crmctl([
                "interaction", "update", contact.name, "--subject", "Fixed", "--duration", "5m", "--kind", "meeting",
                "-o", "json",
            ])
            try #require(fixed.succeeded, "\(fixed)")
            let read = try Crm_V1_Interaction(jsonString: fixed.stdout)
            #expect(
                read.subject == "Fixed" && read.durationSeconds == 300 && read.kind == .meeting && read.etag == "\"2\""
            )
            let gone = try await daemon.crmctl(["interaction", "delete", contact.name, "--etag", "\"2\""])
            #expect(gone.succeeded, "\(gone)")
            let again = try await daemon.crmctl(["interaction", "get", contact.name])
            #expect(again.exitCode == 3, "\(again)")
        }
    }
}

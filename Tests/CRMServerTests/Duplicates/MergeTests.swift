import CRMProto
import Foundation
import GRPCCore
import GRPCProtobuf
import Testing

extension Connection {
    var duplicates: Crm_V1_DuplicateService.Client<ClientTransport> { .init(wrapping: grpc) }
}

@Suite("Merging customers: fields chosen, relations moved, the others soft-deleted pointing at the survivor")
struct MergeTests {
    @Test(
        "dry run changes nothing; merge moves orders, payments and interactions; the merged name points at the survivor"
    )
    func mergeEndToEnd() async throws {
        try await withDaemon { daemon in
            let duplicates = daemon.connection.duplicates
            var anna = Fixture.customer(
                "Anna Berger",
                email: "anna@example.org",
                city: "Graz",
                country: "AT",
                tags: ["vip"],
                attributes: ["tier": "gold"]
            )
            anna.phone = ""
            let survivor = try await daemon.createCustomer(anna)
            let other = try await daemon.createCustomer(
                Fixture.customer(
                    "Anna Bergér",
                    email: "a.berger@example.org",
                    phone: "+43 316 123456",
                    company: "Berger KG",
                    country: "AT",
                    tags: ["newsletter"],
                    attributes: ["tier": "silver", "source": "fair"],
                    externalID: "ERP-77"
                )
            )
            let order = try await daemon.createOrder(
                Fixture.order(
                    customer: other.name,
                    items: [Fixture.lineItem("Rake", category: "garden", quantity: 1, unitPrice: 1999)]
                )
            )
            let payment = try await daemon.createPayment(Fixture.payment(order: order.name, amount: 1999))
            let call = try await daemon.createInteraction(Fixture.interaction(customer: other.name))

            // Dry run: the answer says what would change; nothing does.
            let dryRun = try await daemon.crmctl([
                "customer", "merge", survivor.name, other.name, "--take", "email=\(survivor.name)", "--dry-run", "-o",
                "table",
            ])
            #expect(dryRun.succeeded && dryRun.stdout.contains("would merge (nothing changed)"), "\(dryRun)")
            #expect(dryRun.stdout.contains("moved_orders") && dryRun.stdout.contains("ERP-77"), "\(dryRun)")
            let preview = try await duplicates.mergeCustomers(
                .with {
                    $0.survivor = survivor.name
                    $0.others = [other.name]
                    $0.take = ["email": survivor.name]
                    $0.validateOnly = true
                }
            )
            #expect(
                preview.validateOnly && preview.movedOrders == 1 && preview.movedPayments == 1
                    && preview.movedInteractions == 1
            )
            #expect(try await daemon.getCustomer(other.name) == other, "a dry run left the other as it was")
            #expect(try await daemon.getCustomer(survivor.name) == survivor)
            #expect(try await daemon.orders.getOrder(.with { $0.name = order.name }).customer == other.name)

            // Bad requests name the field and change nothing.
            await expectRPCError(.invalidArgument, field: "take") {
                try await duplicates.mergeCustomers(
                    .with {
                        $0.survivor = survivor.name
                        $0.others = [other.name]
                        $0.take = ["shoe_size": other.name]
                    }
                )
            }
            await expectRPCError(.invalidArgument, field: "others") {
                try await duplicates.mergeCustomers(
                    .with {
                        $0.survivor = survivor.name
                        $0.others = [survivor.name]
                    }
                )
            }
            await expectRPCError(.aborted) {
                try await duplicates.mergeCustomers(
                    .with {
                        $0.survivor = survivor.name
                        $0.others = [other.name]
                        $0.etag = "\"99\""
                    }
                )
            }

            // The merge.
            let merged = try await duplicates.mergeCustomers(
                .with {
                    $0.survivor = survivor.name
                    $0.others = [other.name]
                    $0.take = ["email": survivor.name]
                    $0.etag = survivor.etag
                }
            )
            let kept = merged.survivor
            #expect(kept.name == survivor.name && kept.email == "anna@example.org")
            // The other is newer: its non-empty fields win, the survivor's fill the gaps.
            #expect(kept.displayName == "Anna Bergér" && kept.phone == other.phone && kept.company == "Berger KG")
            // A country alone is no address: the survivor's, with a city, stays.
            #expect(kept.externalID == "ERP-77" && kept.address.city == "Graz")
            #expect(kept.tags == ["newsletter", "vip"] && kept.attributes == ["tier": "silver", "source": "fair"])
            #expect(merged.merged.map(\.mergedInto) == [survivor.name] && merged.merged.first?.hasDeleteTime == true)
            #expect(try await daemon.getCustomer(survivor.name) == kept)

            // Relations follow.
            #expect(try await daemon.orders.getOrder(.with { $0.name = order.name }).customer == survivor.name)
            #expect(try await daemon.orders.getPayment(.with { $0.name = payment.name }).customer == survivor.name)
            #expect(
                try await daemon.interactions.getInteraction(.with { $0.name = call.name }).customer == survivor.name
            )
            let lookedUp = try await daemon.customers.lookupCustomer(.with { $0.externalID = "ERP-77" })
            #expect(lookedUp.name == survivor.name)

            // The merged name answers NOT_FOUND naming the survivor.
            let gone = await expectRPCError(.notFound) { try await daemon.getCustomer(other.name) }
            #expect(gone?.message.contains("was merged into \(survivor.name)") == true, "\(String(describing: gone))")
            let status = try #require(try gone?.unpackGoogleRPCStatus())
            let info = try #require(status.details.compactMap(\.errorInfo).first)
            #expect(info.reason == "MERGED" && info.metadata["merged_into"] == survivor.name)
            // Neither undeleted nor merged again.
            await expectRPCError(.failedPrecondition) {
                try await daemon.customers.undeleteCustomer(.with { $0.name = other.name })
            }
            await expectRPCError(.failedPrecondition, field: "others") {
                try await duplicates.mergeCustomers(
                    .with {
                        $0.survivor = survivor.name
                        $0.others = [other.name]
                    }
                )
            }

            // Audited: one merge entry, and the log still matches every record.
            let log = try await daemon.crmctl(["audit", "list", "--resource", other.name, "-o", "json"])
            #expect(log.stdout.contains("CHANGE_KIND_MERGE"), "\(log)")
            let verified = try await daemon.crmctl(["audit", "verify", "-o", "table"])
            #expect(verified.succeeded, "\(verified)")
        }
    }
}

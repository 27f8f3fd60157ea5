import CRMProto
import Foundation
import Testing

@Suite("The quality report: completeness and suspicious values, with counts and examples")
struct QualityReportTests {
    @Test("each check counts what it should and names the first examples")
    func report() async throws {
        try await withDaemon { daemon in
            let throwaway = try await daemon.createCustomer(
                Fixture.customer("Tom Throwaway", email: "tom@mailinator.com")
            )
            let local = try await daemon.createCustomer(Fixture.customer("Lena Local", phone: "0316 123456"))
            let silent = try await daemon.createCustomer(Fixture.customer("Sam Silent", city: "Graz"))
            try await daemon.createCustomer(
                Fixture.customer(
                    "Full Fiona",
                    email: "fiona@example.org",
                    phone: "+43 316 654321",
                    city: "Wien",
                    country: "AT"
                )
            )
            var orders: [Crm_V1_Order] = []
            for index in 0..<6 {
                orders.append(
                    try await daemon.createOrder(
                        Fixture.order(
                            customer: silent.name,
                            items: [Fixture.lineItem("Rake \(index)", category: "garden", quantity: 1, unitPrice: 1000)]
                        )
                    )
                )
            }
            let typo = try await daemon.createOrder(
                Fixture.order(
                    customer: silent.name,
                    items: [Fixture.lineItem("Hose", category: "gardn", quantity: 1, unitPrice: 500)]
                )
            )
            let overpaid = orders[0]
            _ = try await daemon.createPayment(Fixture.payment(order: overpaid.name, amount: 1500))

            let answer = try await daemon.crmctl(["admin", "quality", "-o", "json"])
            try #require(answer.succeeded, "\(answer)")
            let report = try Crm_V1_QualityReport(jsonString: answer.stdout)
            #expect(report.customers == 4)
            let filled = Dictionary(uniqueKeysWithValues: report.completeness.map { ($0.field, $0.filled) })
            #expect(filled["email"] == 2 && filled["phone"] == 2 && filled["address.city"] == 2, "\(filled)")
            let findings = Dictionary(uniqueKeysWithValues: report.findings.map { ($0.check, $0) })
            #expect(findings["disposable_email"]?.count == 1)
            #expect(findings["disposable_email"]?.examples.map(\.name) == [throwaway.name])
            #expect(
                findings["undialable_phone"]?.examples.map(\.name) == [local.name],
                "\(String(describing: findings["undialable_phone"]))"
            )
            #expect(findings["orders_without_contact"]?.examples.map(\.name) == [silent.name])
            #expect(findings["rare_category"]?.examples.map(\.name) == [typo.name])
            #expect(
                findings["overpaid_orders"]?.count == 1
                    && findings["overpaid_orders"]?.examples.first?.name == overpaid.name
            )
            #expect(findings["duplicate_groups"]?.count == 0)
            // Everyone was just written: nobody is stale, unless the bar is set in the future.
            #expect(findings["stale_customers"]?.count == 0)

            let table = try await daemon.crmctl(["admin", "quality", "-o", "table"])
            #expect(
                table.succeeded && table.stdout.contains("disposable_email")
                    && table.stdout.contains("tom@mailinator.com"),
                "\(table)"
            )
        }
    }
}

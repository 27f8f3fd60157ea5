import CRMDLauncher
import CRMProto
import Foundation
import Testing

/// The needs report as a sales manager uses it: who to contact first and why, on the data's own calendar.
@Suite("A needs report to act on")
struct NeedsReportActionTests {
    @Test("ranked by worth, none and churned left out unless asked, drivers in words, as of a date")
    func actionable() async throws {
        try await withDaemon { daemon in
            let demo = try await daemon.crmctl(["demo", "--customers", "120", "--seed", "7"])
            try #require(demo.succeeded, "\(demo)")
            // The demo history ends on 2026-01-01; a cut-off after it leaves one class, and the error says
            // which cut-off would work.
            let late = try await daemon.crmctl(
                [
                    "analysis", "train", "--target", "next-category", "--algorithm", "decision-tree", "--cutoff",
                    "2027-06-01",
                ]
            )
            #expect(late.exitCode == 1, "\(late)")
            #expect(late.stderr.contains("one class (none: "), "\(late.stderr)")
            #expect(late.stderr.contains("the newest purchase is 2025-12-"), "\(late.stderr)")
            #expect(late.stderr.contains("try --cutoff 2025-"), "\(late.stderr)")

            let trained = try await daemon.crmctl(
                ["analysis", "train", "--target", "next-category", "--algorithm", "decision-tree", "-o", "json"],
                timeout: .seconds(300)
            )
            try #require(trained.succeeded, "\(trained)")

            let html = daemon.root + "/needs.html"
            let listed = try await daemon.crmctl(
                ["analysis", "report", "--as-of", "2026-01-01", "--limit", "0", "--html", html, "-o", "json"]
            )
            try #require(listed.succeeded, "\(listed)")
            let report = try Crm_V1_NeedsReport(jsonString: listed.stdout)
            #expect(report.asOf == Fixture.timestamp("2026-01-01T00:00:00Z"))
            #expect(report.hasDataEndTime && report.dataEndTime.seconds < report.asOf.seconds)
            #expect(
                report.dataEndTime.seconds > Fixture.timestamp("2025-12-01T00:00:00Z").seconds,
                "\(report.dataEndTime)"
            )
            #expect(report.customerCount == 120)
            #expect(report.omittedCount > 0, "the demo has customers who need nothing next")
            #expect(Int(report.omittedCount) + report.customers.count == 120)
            #expect(!report.customers.isEmpty)
            for need in report.customers {
                #expect(need.predictedClass != "none", "\(need.customer)")
                #expect(need.segment != "churned", "\(need.customer)")
                #expect(need.expectedValue > 0 && need.expectedValueCurrency == "EUR", "\(need)")
                #expect(!need.email.isEmpty || !need.phone.isEmpty, "\(need.customer)")
                #expect(need.drivers.allSatisfy { !$0.description_p.isEmpty }, "\(need.drivers)")
            }
            let worth = report.customers.map(\.expectedValue)
            #expect(worth == worth.sorted(by: >), "the most worth acting on first")

            let page = try String(contentsOfFile: html, encoding: .utf8)
            let first = try #require(report.customers.first)
            #expect(page.contains("Who to contact first"))
            #expect(page.contains(first.email) || page.contains(first.phone))
            let reason = try #require(first.drivers.first?.description_p)
            #expect(page.contains(reason.replacingOccurrences(of: "\"", with: "&quot;")), "\(reason)")
            #expect(page.contains("Data up to"))
            #expect(page.contains("<svg"), "the charts stay")

            let everyone = try await daemon.crmctl(
                ["analysis", "report", "--as-of", "2026-01-01", "--limit", "0", "--include-none", "-o", "json"]
            )
            try #require(everyone.succeeded, "\(everyone)")
            let all = try Crm_V1_NeedsReport(jsonString: everyone.stdout)
            #expect(all.customers.count == 120 && all.omittedCount == 0)
            #expect(all.customers.contains { $0.predictedClass == "none" })

            // The report stored its scores: the customer view shows the same need, its date and drivers in words.
            let shown = try await daemon.crmctl(["customer", "show", first.customer, "-o", "table"])
            try #require(shown.succeeded, "\(shown)")
            #expect(shown.stdout.contains("scored 2026-01-01): \(first.predictedClass)"), "\(shown.stdout)")
            #expect(shown.stdout.contains("  - \(reason)"), "\(shown.stdout)")
            let predicted = try await daemon.crmctl([
                "analysis", "predict", "1", "--as-of", "2026-01-01", "-o", "table",
            ])
            try #require(predicted.succeeded, "\(predicted)")
            #expect(predicted.stdout.contains("%"), "confidence as a percentage: \(predicted.stdout)")
        }
    }
}

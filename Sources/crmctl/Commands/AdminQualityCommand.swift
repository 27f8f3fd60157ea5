import ArgumentParser
import CRMProto
import Foundation
import GRPCCore

/// `crmctl admin quality`: how complete and plausible the registry is (docs/quality.md).
extension AdminCommand {
    struct Quality: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Report how complete and plausible the registry is: fields filled, suspicious values, duplicates.",
            discussion: """
                Completeness per field over the live customers; then each check with its count and first \
                examples: emails on throwaway domains, phones without a country, customers with orders \
                but no contact, duplicate groups of the newest search, stale customers, rare (likely \
                misspelt) product categories, overpaid orders. -o json prints the report whole.
                """
        )

        @OptionGroup var options: ClientOptions
        @Option(help: "Customers with no activity for this many days are stale.") var staleDays: Int32 = 365
        @Option(help: "Examples per finding (at most 50).") var examples: Int32 = 5

        func run() async throws {
            let report = try await Daemon.withClient(options) { client in
                try await Crm_V1_AdminService.Client(wrapping: client).getQualityReport(
                    .with {
                        $0.staleDays = staleDays
                        $0.examples = examples
                    }
                )
            }
            switch options.printer.format {
            case .json, .csv:
                Terminal.write(try Printer.json(report))
            case .table, .wide:
                var text = "\(report.customers) live customers\n\n"
                text += TextTable(
                    headers: ["FIELD", "FILLED", "SHARE"],
                    rows: report.completeness.map { field in
                        [field.field, String(field.filled), String(format: "%.1f %%", field.fraction * 100)]
                    }
                ).render()
                text += "\n"
                var rows: [[String]] = []
                for finding in report.findings {
                    rows.append([finding.check, String(finding.count), "", finding.description_p])
                    for example in finding.examples {
                        rows.append(["", "", example.name, "\(example.displayName): \(example.detail)"])
                    }
                }
                text += TextTable(headers: ["CHECK", "COUNT", "EXAMPLE", "WHAT"], rows: rows).render()
                Terminal.write(text)
            }
        }
    }
}

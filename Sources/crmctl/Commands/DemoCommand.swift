import ArgumentParser
import CRMProto
import Foundation
import GRPCCore

/// `crmctl demo`: fill crmd with a realistic, deterministic data set.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill a running crmd with a realistic, deterministic demo data set.",
        discussion: """
            Generates customers, several years of orders, payments and interactions (see \
            docs/crmctl.md) and sends them through the Import RPCs in batches. The same options \
            always give the same data. With --csv-dir the data is written as the four CSV files \
            `import` reads instead.
            """
    )

    @OptionGroup var options: ClientOptions
    @Option(help: ArgumentHelp("Number of customers.", valueName: "n")) var customers = 500
    @Option(help: ArgumentHelp("Seed of the generator.", valueName: "n")) var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Years of history.", valueName: "n")) var years = 3
    @Option(help: ArgumentHelp("End of the history (exclusive), YYYY-MM-DD.", valueName: "date")) var until =
        "2026-01-01"
    @Option(help: ArgumentHelp("Currency of every order.", valueName: "code")) var currency = "EUR"
    @Option(help: ArgumentHelp("Records per import message.", valueName: "n")) var batchSize = 1000
    @Option(
        help: ArgumentHelp(
            "Write customers.csv, orders.csv, payments.csv and interactions.csv here instead of importing.",
            valueName: "dir"
        )
    )
    var csvDir: String?

    func validate() throws {
        guard customers >= 1, customers <= 1_000_000 else {
            throw ValidationError("--customers must be 1 to 1,000,000")
        }
        guard years >= 1, years <= 30 else { throw ValidationError("--years must be 1 to 30") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        let config = try makeConfig()
        let data = DemoGenerator(config: config).generate()
        Terminal.warn(Self.overview(data, config: config))
        if let csvDir {
            try write(data, to: csvDir)
            return
        }
        let batchSize = self.batchSize
        let failed = try await Daemon.withClient(options) { client -> Bool in
            var failed = false
            failed =
                try await Self.send(data.customers, noun: "customers", batchSize: batchSize, client: client) || failed
            failed = try await Self.send(data.orders, noun: "orders", batchSize: batchSize, client: client) || failed
            failed =
                try await Self.send(data.payments, noun: "payments", batchSize: batchSize, client: client) || failed
            failed =
                try await Self.send(data.interactions, noun: "interactions", batchSize: batchSize, client: client)
                || failed
            return failed
        }
        if failed { throw ExitCode(CommandError.Code.failure.rawValue) }
    }

    private func makeConfig() throws -> DemoConfig {
        let untilTime = try parseFlag("--until") { () throws(ValueError) in try RFC3339.parse(until) }
        guard untilTime.seconds % 86_400 == 0, untilTime.nanos == 0 else {
            throw CommandError(.usage, "--until: must be a date (midnight UTC)")
        }
        let code = try parseFlag("--currency") { () throws(ValueError) in try Currency.normalizedCode(currency) }
        return DemoConfig(
            customers: customers,
            seed: seed,
            years: years,
            until: CivilDate(daysSinceEpoch: untilTime.seconds / 86_400),
            currency: code
        )
    }

    /// Imports one kind in batches, each its own transaction; returns whether rows failed.
    private static func send<Record: ImportableRecord>(
        _ records: [Record],
        noun: String,
        batchSize: Int,
        client: GRPCClient<Daemon.Transport>
    ) async throws -> Bool {
        let stream = ImportStream(
            records: records,
            batchSize: batchSize,
            flags: ImportFlags(atomic: false),
            showProgress: Terminal.stderrIsTerminal,
            noun: noun
        )
        let (summary, elapsed) = try await stream.send(client: client)
        for failure in summary.failures.prefix(20) {
            Terminal.warn(ImportStream<Record>.describe(failure, lines: []))
        }
        if summary.failures.count > 20 {
            Terminal.warn("… and \(summary.failures.count - 20) more failures")
        }
        Terminal.write(
            ImportStream<Record>.summaryLine(
                noun: noun,
                summary: summary,
                source: "demo",
                elapsed: elapsed,
                validateOnly: false
            )
                + "\n"
        )
        return summary.failed > 0 || summary.rejected > 0
    }

    private func write(_ data: DemoDataSet, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let files = [
            ("customers.csv", CustomerCSV.csv(for: data.customers)),
            ("orders.csv", OrderCSV.csv(for: data.orders)),
            ("payments.csv", PaymentCSV.csv(for: data.payments)),
            ("interactions.csv", InteractionCSV.csv(for: data.interactions)),
        ]
        for (name, text) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            try OutputFile.write(text, to: path)
            Terminal.write("wrote \(path)\n")
        }
    }

    /// `demo: 500 customers (…), 9876 orders, … from 2023-01-01 to 2026-01-01 (seed 1, EUR)`.
    static func overview(_ data: DemoDataSet, config: DemoConfig) -> String {
        let stages = Crm_V1_LifecycleStage.labeled.map { label, stage in
            "\(data.customers.filter { $0.lifecycleStage == stage }.count) \(label)"
        }
        return
            "demo: \(data.customers.count) customers (\(stages.joined(separator: ", "))), \(data.orders.count) orders, "
            + "\(data.payments.count) payments, \(data.interactions.count) interactions from \(config.start.text) "
            + "to \(config.until.text) (seed \(config.seed), \(config.currency))"
    }
}

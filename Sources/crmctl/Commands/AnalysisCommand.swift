import ArgumentParser
import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf

/// `crmctl analysis …`: customer needs analysis — algorithms, training, models, scores, the report.
struct AnalysisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analysis",
        abstract: "Train models on the registry or a CSV file, score customers, and report their needs.",
        discussion: "See docs/analysis.md and docs/analysis-features.md.",
        subcommands: [
            Algorithms.self, Train.self, Models.self, Get.self, Predict.self, Report.self, Export.self,
        ]
    )

    /// Uploaded tables and exported datasets can be large; the default limit is 4 MiB.
    static var largeMessageOptions: CallOptions {
        var options = CallOptions.defaults
        options.maxResponseMessageBytes = 256 << 20
        options.maxRequestMessageBytes = 64 << 20
        return options
    }

    /// `90d`, `12w`, `2160h`: a duration as DurationText reads it, more than zero.
    static func horizon(_ text: String) throws -> Google_Protobuf_Duration {
        let seconds = try parseFlag("--horizon") { () throws(ValueError) in try DurationText.seconds(text) }
        guard seconds > 0 else {
            throw CommandError(.usage, "--horizon: must be positive (e.g. 90d)")
        }
        return Google_Protobuf_Duration(seconds: seconds, nanos: 0)
    }

    static func cutoff(_ text: String) throws -> Google_Protobuf_Timestamp {
        try parseFlag("--cutoff") { () throws(ValueError) in try RFC3339.parse(text) }
    }

    /// `models/3` or `3`.
    static func modelName(_ text: String) -> String {
        text.hasPrefix("models/") ? text : "models/" + text
    }

    /// The registry source flags shared by train and export.
    struct RegistryOptions: ParsableArguments {
        @Option(help: "What to predict: next-category, churn, attribute:<key> or tag:<name>.")
        var target: String?

        @Option(
            help: "Features see only history before this day or time (default: one horizon before the newest purchase)."
        )
        var cutoff: String?

        @Option(help: "The window after the cut-off the label looks at, e.g. 90d, 12w (default 90d).")
        var horizon: String?

        func source(defaultTarget: String? = nil) throws -> Crm_V1_RegistrySource? {
            guard let target = target ?? defaultTarget else { return nil }
            var source = Crm_V1_RegistrySource()
            source.target = target
            if let cutoff {
                source.cutoff = try AnalysisCommand.cutoff(cutoff)
            }
            if let horizon {
                source.horizon = try AnalysisCommand.horizon(horizon)
            }
            return source
        }
    }

    struct Algorithms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the algorithms of the loaded analysis plugins and their parameters."
        )

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let response = try await Daemon.withClient(options) { client in
                try await Crm_V1_AnalysisService.Client(wrapping: client).listAlgorithms(.init())
            }
            switch options.format {
            case .json:
                Terminal.write(try Printer.json(response))
            case .table, .wide:
                Terminal.write(
                    TextTable(
                        headers: ["ALGORITHM", "PLUGIN", "SCIKIT-LEARN", "PARAMETERS (default)"],
                        rows: response.algorithms.map { algorithm in
                            [
                                algorithm.name, algorithm.plugin, algorithm.sklearnEquivalent,
                                algorithm.parameters.map { "\($0.name)=\($0.defaultValue)" }.joined(separator: " "),
                            ]
                        },
                        maxColumnWidth: 90
                    ).render()
                )
            case .csv:
                var writer = CSVWriter()
                writer.write(["algorithm", "plugin", "parameter", "type", "default", "allowed_values", "description"])
                for algorithm in response.algorithms {
                    for parameter in algorithm.parameters {
                        writer.write([
                            algorithm.name, algorithm.plugin, parameter.name, parameter.type, parameter.defaultValue,
                            parameter.allowedValues.joined(separator: "|"), parameter.description_p,
                        ])
                    }
                }
                Terminal.write(writer.text)
            }
        }
    }

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train, evaluate and store a model, on the registry or on a CSV file.",
            discussion: """
                On the registry: crmctl analysis train --target next-category --horizon 90d --algorithm svm
                On a file:       crmctl analysis train --csv iris.csv --label label --test-rows iris.split.csv \\
                                   --algorithm neural-network --param hidden_layer_sizes=64 -o json
                Parameters take scikit-learn's names and defaults (crmctl analysis algorithms).
                """
        )

        @OptionGroup var options: ClientOptions
        @OptionGroup var registry: RegistryOptions

        @Option(help: "The algorithm: decision-tree, svm, neural-network, … (crmctl analysis algorithms).")
        var algorithm: String

        @Option(name: .customLong("param"), help: "A parameter as key=value, under scikit-learn's name; repeatable.")
        var parameters: [String] = []

        @Option(help: "Train on this CSV file (header row, numeric features, a label column) instead of the registry.")
        var csv: String?

        @Option(help: "The label column of --csv.")
        var label: String?

        @Option(help: "A file of one 0/1 per data row of --csv under a header: 1 marks a test row.")
        var testRows: String?

        @Option(help: "The share of rows held out for the test when no split is given (default 0.25).")
        var testFraction: Double?

        @Option(help: "k of the stratified k-fold cross-validation (default 5; 1 turns it off).")
        var cvFolds: Int32?

        @Option(help: "Seeds the split, the folds and the algorithm.")
        var randomState: Int64?

        @Option(help: "A note kept with the model.")
        var description: String?

        @Flag(help: "No progress bar.")
        var quiet = false

        @Flag(help: "Start the training as a job and return at once; follow it with `crmctl job wait`.")
        var detach = false

        func validate() throws {
            if csv != nil, registry.target != nil {
                throw ValidationError("give --csv or --target, not both")
            }
            if csv != nil, label == nil {
                throw ValidationError("--csv needs --label COLUMN")
            }
            if csv == nil, label != nil || testRows != nil {
                throw ValidationError("--label and --test-rows go with --csv")
            }
        }

        func request() throws -> Crm_V1_TrainRequest {
            var request = Crm_V1_TrainRequest()
            request.algorithm = algorithm
            for parameter in parameters {
                guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                    throw CommandError(.usage, "--param: \(parameter.quotedForError) is not key=value")
                }
                request.parameters[String(parameter[..<equals])] = String(parameter[parameter.index(after: equals)...])
            }
            if let csv {
                request.dataset = try TabularFile.read(csv, label: label, split: testRows)
            } else {
                request.registry = try registry.source(defaultTarget: "next-category")!
            }
            if let testFraction { request.testFraction = testFraction }
            if let cvFolds { request.cvFolds = cvFolds }
            if let randomState { request.randomState = randomState }
            if let description { request.description_p = description }
            request.detach = detach
            return request
        }

        func run() async throws {
            let request = try request()
            if detach {
                let job = try await Daemon.withClient(options) { client in
                    try await Crm_V1_AnalysisService.Client(wrapping: client).train(
                        request,
                        options: AnalysisCommand.largeMessageOptions
                    ) { response in
                        var name = ""
                        for try await progress in response.messages { name = progress.job }
                        return name
                    }
                }
                switch options.format {
                case .json: Terminal.write("{\"job\": \"\(job)\"}\n")
                default: Terminal.write(job + "\n")
                }
                return
            }
            let quiet = quiet
            let model = try await Daemon.withClient(options) { client in
                try await Crm_V1_AnalysisService.Client(wrapping: client).train(
                    request,
                    options: AnalysisCommand.largeMessageOptions
                ) { response in
                    var bar = TrainProgressBar()
                    var model: Crm_V1_Model?
                    defer { bar.finish() }
                    for try await progress in response.messages {
                        if !quiet {
                            bar.show(progress)
                        }
                        if progress.hasModel {
                            model = progress.model
                        }
                    }
                    return model
                }
            }
            guard let model else {
                throw CommandError(.failure, "crmd ended the training without a model")
            }
            try AnalysisCommand.print(model, options: options)
        }
    }

    static func print(_ model: Crm_V1_Model, options: ClientOptions) throws {
        switch options.format {
        case .json:
            Terminal.write(try Printer.json(model))
        case .table, .wide:
            Terminal.write(ModelText.details(model))
        case .csv:
            var writer = CSVWriter()
            writer.write(["class", "precision", "recall", "f1", "support"])
            for score in model.evaluation.classes {
                writer.write([
                    score.className, "\(score.precision)", "\(score.recall)", "\(score.f1)", "\(score.support)",
                ])
            }
            Terminal.write(writer.text)
        }
    }

    struct Models: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored models, newest first.")

        @OptionGroup var options: ClientOptions

        @Option(help: "Only models of this target.")
        var target: String?

        @Option(help: "At most this many.")
        var limit: Int32 = 50

        func run() async throws {
            var request = Crm_V1_ListModelsRequest()
            request.target = target ?? ""
            request.pageSize = limit
            let response = try await Daemon.withClient(options) { client in
                try await Crm_V1_AnalysisService.Client(wrapping: client).listModels(request)
            }
            switch options.format {
            case .json:
                Terminal.write(try Printer.json(response))
            case .table, .wide:
                Terminal.write(
                    TextTable(headers: ModelText.listHeaders, rows: response.models.map(ModelText.listRow)).render()
                )
            case .csv:
                var writer = CSVWriter()
                writer.write(ModelText.listHeaders.map { $0.lowercased().replacingOccurrences(of: "-", with: "_") })
                for model in response.models {
                    writer.write(ModelText.listRow(model))
                }
                Terminal.write(writer.text)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one model with its evaluation.")

        @OptionGroup var options: ClientOptions

        @Argument(help: "The model, models/{id} or {id}.")
        var model: String

        func run() async throws {
            var request = Crm_V1_GetModelRequest()
            request.name = AnalysisCommand.modelName(model)
            let model = try await Daemon.withClient(options) { client in
                try await Crm_V1_AnalysisService.Client(wrapping: client).getModel(request)
            }
            try AnalysisCommand.print(model, options: options)
        }
    }

    struct Predict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score customers (stored as their latest scores) or the rows of a CSV file with a model."
        )

        @OptionGroup var options: ClientOptions

        @Argument(help: "The model, models/{id} or {id}.")
        var model: String

        @Option(name: .customLong("customer"), help: "A customer to score (customers/{id}); repeatable. Default: all.")
        var customers: [String] = []

        @Option(help: "Score the rows of this CSV file (the model's feature columns) instead of customers.")
        var csv: String?

        @Option(help: "Show at most this many scores (all are stored; 0 for all).")
        var limit: Int32 = 20

        @Option(help: "Features as of this time: RFC 3339 or YYYY-MM-DD (default: now).")
        var asOf: String?

        func validate() throws {
            guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
        }

        func run() async throws {
            var request = Crm_V1_PredictRequest()
            request.model = AnalysisCommand.modelName(model)
            request.customers = customers.map { $0.hasPrefix("customers/") ? $0 : "customers/" + $0 }
            request.responseLimit = limit
            if let asOf {
                request.asOf = try parseFlag("--as-of") { () throws(ValueError) in try RFC3339.parse(asOf) }
            }
            if let csv {
                request.dataset = try TabularFile.read(csv, label: nil, split: nil)
            }
            let response = try await Daemon.withClient(options) { client in
                try await Crm_V1_AnalysisService.Client(wrapping: client).predict(
                    request,
                    options: AnalysisCommand.largeMessageOptions
                )
            }
            switch options.format {
            case .json:
                Terminal.write(try Printer.json(response))
            case .table, .wide, .csv:
                let headers = ["CUSTOMER", "ROW", "PREDICTED", "CONFIDENCE", "DRIVERS"]
                let rows = response.predictions.map { prediction in
                    [
                        prediction.customer, prediction.customer.isEmpty ? String(prediction.row) : "",
                        prediction.predictedClass, ModelText.percent(prediction.confidence),
                        AnalysisCommand.reasons(prediction.drivers),
                    ]
                }
                if options.format == .csv {
                    var writer = CSVWriter()
                    writer.write(headers.map { $0.lowercased() })
                    rows.forEach { writer.write($0) }
                    Terminal.write(writer.text)
                } else {
                    Terminal.write(TextTable(headers: headers, rows: rows, maxColumnWidth: 70).render())
                    Terminal.warn("\(response.scored) scored, \(response.predictions.count) shown")
                }
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The customer needs report: per segment and per customer, what they need next.",
            discussion: "With --html FILE, also writes a self-contained HTML report with charts."
        )

        @OptionGroup var options: ClientOptions

        @Option(help: "The model (default: the newest of --target).")
        var model: String?

        @Option(help: "The target whose newest model to use (default next-category).")
        var target: String?

        @Option(help: "Segments: lifecycle (default), predicted, or attribute:<key>.")
        var segmentBy: String?

        @Option(help: "At most this many customers, the most worth acting on first (0 for all).")
        var limit: Int32 = 100

        @Option(help: "Write the HTML report to this file.")
        var html: String?

        @Option(
            help:
                "Score (and store) every customer as of this time: RFC 3339 or YYYY-MM-DD (default: the stored scores)."
        )
        var asOf: String?

        @Flag(help: "Also list customers predicted to need nothing (none) and churned customers.")
        var includeNone = false

        func validate() throws {
            guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
        }

        func run() async throws {
            var request = Crm_V1_GetNeedsReportRequest()
            request.model = model.map(AnalysisCommand.modelName) ?? ""
            request.target = target ?? ""
            request.segmentBy = segmentBy ?? ""
            request.customerLimit = limit == 0 ? Int32.max : limit
            request.includeHtml = html != nil
            request.includeNone = includeNone
            if let asOf {
                request.asOf = try parseFlag("--as-of") { () throws(ValueError) in try RFC3339.parse(asOf) }
            }
            let report = try await Daemon.withClient(options) { client in
                try await Crm_V1_AnalysisService.Client(wrapping: client).getNeedsReport(
                    request,
                    options: AnalysisCommand.largeMessageOptions
                )
            }
            if let html {
                try OutputFile.write(report.html, to: html)
                Terminal.warn("wrote \(html)")
            }
            var shown = report
            shown.html = ""
            switch options.format {
            case .json:
                Terminal.write(try Printer.json(shown))
            case .table, .wide:
                Terminal.write(Self.table(report))
            case .csv:
                var writer = CSVWriter()
                writer.write([
                    "customer", "display_name", "company", "email", "phone", "segment", "predicted", "confidence",
                    "expected_value", "currency", "drivers",
                ])
                for need in report.customers {
                    writer.write([
                        need.customer, need.displayName, need.company, need.email, need.phone, need.segment,
                        need.predictedClass, "\(need.confidence)", "\(need.expectedValue)", need.expectedValueCurrency,
                        need.drivers.map(\.text)
                            .joined(separator: "; "),
                    ])
                }
                Terminal.write(writer.text)
            }
        }

        static func table(_ report: Crm_V1_NeedsReport) -> String {
            let model = report.model
            var text = "\(model.name): \(model.target) v\(model.version), \(model.algorithm), test accuracy "
            text += "\(ModelText.percent(model.evaluation.accuracy)) (baseline "
            text += "\(ModelText.percent(model.evaluation.baselineAccuracy))); "
            text +=
                "\(report.customerCount) customers scored as of \(RFC3339.format(report.asOf, isSet: report.hasAsOf))"
            if report.hasDataEndTime { text += "; data up to \(RFC3339.format(report.dataEndTime))" }
            text += "\n\n"
            text += TextTable(
                headers: ["SEGMENT", "CUSTOMERS", "PREDICTED NEEDS", "MEAN CONFIDENCE", "TOP DRIVERS"],
                rows: report.segments.map { segment in
                    [
                        segment.name, String(segment.customerCount),
                        segment.predicted.prefix(3).map { "\($0.className) \($0.count)" }.joined(separator: ", "),
                        ModelText.percent(segment.meanConfidence), segment.topDrivers.joined(separator: ", "),
                    ]
                },
                maxColumnWidth: 60
            ).render()
            text += "\n"
            text += TextTable(
                headers: ["CUSTOMER", "NAME", "COMPANY", "CONTACT", "NEEDS", "CHANCE", "WORTH", "WHY"],
                rows: report.customers.map { need in
                    [
                        need.customer, need.displayName, need.company, need.email.isEmpty ? need.phone : need.email,
                        need.predictedClass, ModelText.percent(need.confidence),
                        need.expectedValueCurrency.isEmpty
                            ? "" : "\(ModelText.number(need.expectedValue, digits: 2)) \(need.expectedValueCurrency)",
                        AnalysisCommand.reasons(need.drivers),
                    ]
                },
                maxColumnWidth: 60
            ).render()
            if report.customers.isEmpty { text += "(no customers to list)\n" }
            if report.omittedCount > 0 {
                text += "\(report.omittedCount) customers predicted to need nothing or churned are left out; "
                text += "--include-none lists them\n"
            }
            return text
        }
    }

    /// Drivers in words, the strongest first, as the server wrote them.
    static func reasons(_ drivers: [Crm_V1_Driver]) -> String {
        drivers.prefix(3).map(\.text).joined(separator: "; ")
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the dataset a registry training would use as CSV, with its split, to compare tools.",
            discussion: "Features before imputation and standardisation (empty = missing), then the label column."
        )

        @OptionGroup var options: ClientOptions
        @OptionGroup var registry: RegistryOptions

        @Option(help: "The CSV file to write.")
        var out: String

        @Option(help: "Also write the split: one 0/1 per data row under the header is_test.")
        var splitOut: String?

        @Option(help: "The share of test rows (default 0.25).")
        var testFraction: Double?

        @Option(help: "Seeds the split (default 42).")
        var randomState: Int64?

        func run() async throws {
            var request = Crm_V1_ExportDatasetRequest()
            request.registry = try registry.source(defaultTarget: "next-category")!
            if let testFraction { request.testFraction = testFraction }
            if let randomState { request.randomState = randomState }
            let dataset = try await Daemon.withClient(options) { client in
                try await Crm_V1_AnalysisService.Client(wrapping: client).exportDataset(
                    request,
                    options: AnalysisCommand.largeMessageOptions
                )
            }
            try TabularFile.write(dataset, to: out, splitPath: splitOut)
            Terminal.warn(
                "wrote \(dataset.labels.count) rows × \(dataset.featureNames.count) features to \(out)"
                    + (splitOut.map { " and the split to \($0)" } ?? "")
            )
        }
    }
}

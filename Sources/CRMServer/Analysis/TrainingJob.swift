import CRMCore
import CRMPluginKit
import CRMProto
import Foundation
import GRPCCore

/// One run of `Train`: collect → preprocess → cross-validate → fit → evaluate → store.
///
/// Preprocessing is host code shared by every algorithm (docs/analysis.md): rows without a label
/// are left out, the split is stratified and seeded (unless the caller fixed it), exact duplicate
/// training rows are dropped, impossible values become missing, and the imputation and
/// standardisation are fitted on the training rows only — in cross-validation, on each fold's
/// training part only.
struct TrainingJob<Store: HistoryStore & ModelStore> {
    let store: Store
    let host: PluginHost
    let catalog: AlgorithmCatalog
    let request: Crm_V1_TrainRequest
    /// Called with each step; `fraction` is of the whole job. Must not block.
    let report: @Sendable (Crm_V1_TrainProgress.Stage, Double, String) -> Void

    /// Reports a step, first checking that the job is still wanted.
    private func progress(_ stage: Crm_V1_TrainProgress.Stage, _ fraction: Double, _ message: String) throws {
        try Task.checkCancellation()
        report(stage, fraction, message)
    }

    /// The seed of the split and the folds when the request has none.
    static var defaultSplitSeed: UInt64 { 42 }
    /// Rows of the test set used for permutation importances, and the repeats.
    static var permutationRows: Int { 2000 }
    static var permutationRepeats: Int { 3 }

    /// The input, before cleaning.
    struct Collected {
        var table: LabeledTable
        var target: String
        var source: String
        var schema: FeatureSchema?
        var cutoff: Date?
        var horizon: TimeInterval?
        var excludedCustomers = 0
    }

    func run() async throws -> Crm_V1_Model {
        let settings = try Settings(request)
        let entry = try catalog.entry(named: request.algorithm)

        try progress(.collecting, 0, "collecting the data")
        let collected = try await Self.collect(request, from: store)

        try progress(.preprocessing, 0.05, "cleaning and splitting \(collected.table.rowCount) rows")
        let prepared = try prepare(collected, settings: settings)
        let classifier = PluginClassifier(
            host: host,
            plugin: entry.plugin,
            algorithm: entry.algorithm.name,
            parameters: request.parameters,
            seed: request.seedValue,
            featureNames: prepared.dataset.cleaned.featureNames,
            classNames: prepared.dataset.classes.names
        )

        var crossValidation: CrossValidationSummary?
        if settings.folds > 1 {
            crossValidation = try await crossValidate(prepared, classifier: classifier, settings: settings)
        }

        let fitStart = settings.folds > 1 ? 0.55 : 0.1
        let training = prepared.dataset.training
        let test = prepared.dataset.test
        let featureNames = prepared.dataset.cleaned.featureNames
        let classNames = prepared.dataset.classes.names
        try progress(.training, fitStart, "training \(entry.algorithm.name) on \(training.labels.count) rows")
        let report = self.report
        let fit = try await classifier.fit(training.matrix, labels: training.labels) { fraction, message in
            report(.training, fitStart + (0.9 - fitStart) * min(max(fraction, 0), 1), message ?? "training")
        }

        try progress(.evaluating, 0.9, "evaluating on \(test.labels.count) test rows")
        let model = Data(fit.response.model)
        let predicted = try await classifier.predict(model: model, rows: test.matrix).classes
        let metrics = try ClassificationMetrics.evaluate(
            truth: test.labels,
            predicted: predicted,
            classNames: classNames
        )
        let baseline = try MajorityBaseline.evaluate(
            trainingLabels: training.labels,
            testLabels: test.labels,
            classNames: classNames
        )
        let importances = try await importances(
            fit.response,
            classifier: classifier,
            model: model,
            testMatrix: test.matrix,
            truth: test.labels,
            settings: settings
        )

        let hostPreprocessing = ModelPreprocessing(
            target: collected.target,
            featureNames: featureNames,
            classNames: classNames,
            preprocessor: prepared.dataset.preprocessor,
            schema: collected.schema,
            cutoff: collected.cutoff,
            horizonSeconds: collected.horizon,
            importances: importances.values
        )
        var summary = Crm_V1_Model()
        summary.algorithm = entry.algorithm.name
        summary.plugin = "plugins/" + entry.plugin
        summary.pluginVersion = entry.pluginVersion
        summary.target = collected.target
        summary.description_p = request.description_p
        summary.parameters =
            fit.response.effectiveParameters.isEmpty
            ? request.parameters : fit.response.effectiveParameters
        summary.featureNames = featureNames
        summary.classNames = classNames
        if let cutoff = collected.cutoff {
            summary.cutoff = .init(date: cutoff)
        }
        if let horizon = collected.horizon {
            summary.horizon = .init(seconds: Int64(horizon))
        }
        summary.source = collected.source
        summary.data = Crm_V1_DataSummary(
            prepared.dataset.report,
            trainRows: training.labels.count,
            testRows: test.labels.count,
            excludedCustomers: collected.excludedCustomers
        )
        summary.evaluation = Crm_V1_Evaluation(
            metrics: metrics,
            baseline: baseline,
            crossValidation: crossValidation,
            importances: importances.values,
            featureNames: featureNames,
            method: importances.method
        )
        summary.fitSeconds = fit.seconds
        summary.trainingMetrics = fit.response.metrics
        summary.notes = prepared.notes + fit.response.notes
        summary.modelSizeBytes = Int64(model.count)
        summary.randomState = Int64(bitPattern: settings.splitSeed)

        let stored = try await store.storeModel(
            StoredModel(
                target: collected.target,
                algorithm: entry.algorithm.name,
                plugin: entry.plugin,
                summary: try summary.serializedBytes(),
                preprocessing: try hostPreprocessing.encoded(),
                model: model
            )
        )
        return try Crm_V1_Model(stored)
    }

    // MARK: Settings

    /// The request's numbers, checked.
    struct Settings {
        var testFraction: Double
        var folds: Int
        var splitSeed: UInt64

        /// - Parameters:
        ///   - request: the training request (or, for ExportDataset, its data part).
        ///   - needsAlgorithm: whether a missing algorithm is an error (not for an export).
        init(_ request: Crm_V1_TrainRequest, needsAlgorithm: Bool = true) throws {
            var violations = ViolationCollector()
            testFraction = request.testFraction == 0 ? 0.25 : request.testFraction
            if !(testFraction > 0 && testFraction <= 0.9) {
                violations.add("test_fraction", "must be in (0, 0.9], or 0 for 0.25 (got \(request.testFraction))")
            }
            folds = request.cvFolds == 0 ? 5 : Int(request.cvFolds)
            if !(1...20).contains(folds) {
                violations.add("cv_folds", "must be 1 (off) to 20, or 0 for 5 (got \(request.cvFolds))")
            }
            if let seed = request.seedValue, seed < 0 {
                violations.add("random_state", "must not be negative (got \(seed))")
            }
            splitSeed = request.seedValue.map { UInt64(max($0, 0)) } ?? TrainingJob.defaultSplitSeed
            if needsAlgorithm, request.algorithm.isEmpty {
                violations.add("algorithm", "is required (see ListAlgorithms)")
            }
            if request.source == nil {
                violations.add("source", "is required: registry or dataset")
            }
            try violations.throwIfAny()
        }
    }

    // MARK: Collecting

    /// The request's rows: from the registry, or the uploaded table.
    static func collect(_ request: Crm_V1_TrainRequest, from store: Store) async throws -> Collected {
        switch request.source {
        case .registry(let registry):
            return try await collectRegistry(registry, from: store)
        case .dataset(let dataset):
            return try Self.collectTable(dataset, field: "dataset")
        case nil:
            throw CRMError.invalid("source", "is required: registry or dataset")
        }
    }

    private static func collectRegistry(_ source: Crm_V1_RegistrySource, from store: Store) async throws -> Collected {
        let target = try AnalysisTarget(parsing: source.target)
        let horizon = try Self.horizon(source, field: "registry.horizon")
        let histories = try await store.customerHistories()
        let cutoff: Date
        if source.hasCutoff {
            cutoff = source.cutoff.date
        } else if let fallback = TrainingSnapshot.defaultCutoff(histories: histories, target: target, horizon: horizon)
        {
            cutoff = fallback
        } else {
            throw CRMError(
                .failedPrecondition,
                "registry.cutoff: the registry has no purchases to place a default cut-off; give one",
                violations: [.init(field: "registry.cutoff", description: "no purchases in the registry")]
            )
        }
        let snapshot = TrainingSnapshot.build(histories: histories, target: target, cutoff: cutoff, horizon: horizon)
        try Self.requireTwoClasses(snapshot, histories: histories, given: source.hasCutoff)
        let table = try LabeledTable(
            featureNames: snapshot.featureNames,
            rows: snapshot.rows,
            labels: snapshot.labels.map { Optional($0) },
            nonNegativeFeatures: snapshot.schema.nonNegativeFeatures
        )
        return Collected(
            table: table,
            target: target.text,
            source: "registry",
            schema: snapshot.schema,
            cutoff: cutoff,
            horizon: horizon,
            excludedCustomers: snapshot.excludedNotYetCustomers + snapshot.excludedWithoutLabel
        )
    }

    /// Refuses a snapshot whose labels fall into fewer than two classes, saying what they are, where the
    /// data ends and which cut-off would give two classes.
    static func requireTwoClasses(_ snapshot: TrainingSnapshot, histories: [CustomerHistory], given: Bool) throws {
        var sizes: [String: Int] = [:]
        for label in snapshot.labels { sizes[label, default: 0] += 1 }
        guard sizes.count < 2 else { return }
        let day = Date.ISO8601FormatStyle().year().month().day()
        let classes =
            sizes.isEmpty
            ? "no customer known before it"
            : "one class (" + sizes.map { "\($0.key): \($0.value) customers" }.joined() + ")"
        var message =
            "at the \(given ? "" : "default ")cut-off \(snapshot.cutoff.formatted(day)) the target "
            + "\(snapshot.target.text) has \(classes)"
        if let newest = TrainingSnapshot.newestPurchase(in: histories) {
            message += "; the newest purchase is \(newest.formatted(day))"
        }
        if let working = TrainingSnapshot.workingCutoff(
            histories: histories,
            target: snapshot.target,
            horizon: snapshot.horizon,
            before: snapshot.cutoff
        ) {
            message += ": try --cutoff \(working.formatted(day))"
        } else {
            message += "; no earlier cut-off gives two classes: record more history or choose another target"
        }
        throw CRMError(
            .failedPrecondition,
            message,
            violations: [.init(field: "registry.cutoff", description: "the target has fewer than two classes here")]
        )
    }

    static func horizon(_ source: Crm_V1_RegistrySource, field: String) throws -> TimeInterval {
        guard source.hasHorizon else { return TrainingSnapshot.defaultHorizon }
        let seconds = Double(source.horizon.seconds) + Double(source.horizon.nanos) / 1e9
        guard seconds >= 86_400 else {
            throw CRMError.invalid(field, "must be at least one day (got \(seconds) s)")
        }
        return seconds
    }

    /// An uploaded table as a ``LabeledTable``: NaN is a missing value, an empty label a missing label.
    static func collectTable(_ dataset: Crm_V1_TabularDataset, field: String) throws -> Collected {
        let width = dataset.featureNames.count
        guard width > 0 else {
            throw CRMError.invalid("\(field).feature_names", "must name at least one column")
        }
        if let duplicate = Dictionary(grouping: dataset.featureNames, by: { $0 }).first(where: { $0.value.count > 1 }) {
            throw CRMError.invalid("\(field).feature_names", "names \"\(duplicate.key)\" twice")
        }
        guard dataset.values.count % width == 0 else {
            throw CRMError.invalid(
                "\(field).values",
                "has \(dataset.values.count) values, not a multiple of \(width) columns"
            )
        }
        let rowCount = dataset.values.count / width
        guard dataset.labels.count == rowCount else {
            throw CRMError.invalid("\(field).labels", "has \(dataset.labels.count) labels for \(rowCount) rows")
        }
        guard dataset.isTest.isEmpty || dataset.isTest.count == rowCount else {
            throw CRMError.invalid("\(field).is_test", "has \(dataset.isTest.count) entries for \(rowCount) rows")
        }
        let table = try LabeledTable(
            featureNames: dataset.featureNames,
            rows: dataset.rows,
            labels: dataset.labels.map { $0.isEmpty ? nil : $0 },
            isTest: dataset.isTest.isEmpty ? nil : dataset.isTest
        )
        let labelName = dataset.source.isEmpty ? "table" : dataset.source
        return Collected(table: table, target: "table", source: labelName)
    }

    // MARK: Preprocessing

    /// `table` with its `isTest` set: as given, or a stratified split of the labelled rows.
    static func split(_ table: LabeledTable, settings: Settings) throws -> LabeledTable {
        guard table.isTest == nil else { return table }
        let labelled = table.labels.indices.filter { !(table.labels[$0] ?? "").isEmpty }
        let index = ClassIndex(labels: labelled.map { table.labels[$0]! })
        let split = try StratifiedSplit.split(
            labels: labelled.map { index.index(of: table.labels[$0]!)! },
            testFraction: settings.testFraction,
            seed: settings.splitSeed
        )
        var isTest = [Bool](repeating: false, count: table.rowCount)
        for (position, row) in labelled.enumerated() {
            isTest[row] = split[position]
        }
        return try LabeledTable(
            featureNames: table.featureNames,
            rows: table.rows,
            labels: table.labels,
            isTest: isTest,
            nonNegativeFeatures: table.nonNegativeFeatures
        )
    }

    /// The cleaned, split, imputed and standardised rows, and remarks for the user.
    struct Prepared {
        var dataset: PreparedDataset
        var notes: [String]
    }

    private func prepare(_ collected: Collected, settings: Settings) throws -> Prepared {
        // The split comes first, so that cleaning drops duplicates from the training rows only.
        let dataset = try PreparedDataset.prepare(
            try Self.split(collected.table, settings: settings),
            testFraction: settings.testFraction,
            seed: settings.splitSeed
        )
        guard !dataset.test.labels.isEmpty else {
            throw CRMError(
                .failedPrecondition,
                "too few labelled rows to train and test: \(dataset.training.labels.count) training rows, no test "
                    + "rows (\(collected.table.rowCount) collected)"
            )
        }
        guard Set(dataset.training.labels).count >= 2 else {
            throw CRMError(
                .failedPrecondition,
                "the training rows have a single class (\(dataset.classes.names[dataset.training.labels[0]])): "
                    + "nothing to learn; choose another target, cut-off or horizon"
            )
        }
        var notes: [String] = []
        if !dataset.report.constantFeatures.isEmpty {
            notes.append(
                "constant features (no information): \(dataset.report.constantFeatures.joined(separator: ", "))"
            )
        }
        return Prepared(dataset: dataset, notes: notes)
    }

    // MARK: Cross-validation

    private func crossValidate(
        _ prepared: Prepared,
        classifier: PluginClassifier,
        settings: Settings
    ) async throws -> CrossValidationSummary {
        let folds = try prepared.dataset.crossValidationFolds(k: settings.folds, seed: settings.splitSeed)
        var metrics: [ClassificationMetrics] = []
        for (number, fold) in folds.enumerated() {
            try progress(
                .crossValidating,
                0.1 + 0.45 * Double(number) / Double(folds.count),
                "fold \(number + 1) of \(folds.count)"
            )
            let fit = try await classifier.fit(fold.training.matrix, labels: fold.training.labels)
            let predicted = try await classifier.predict(model: Data(fit.response.model), rows: fold.test.matrix)
            metrics.append(
                try ClassificationMetrics.evaluate(
                    truth: fold.test.labels,
                    predicted: predicted.classes,
                    classNames: prepared.dataset.classes.names
                )
            )
        }
        return CrossValidationSummary(folds: metrics, requestedK: settings.folds)
    }

    // MARK: Importances

    private func importances(
        _ response: Crm_Plugin_V1_TrainResponse,
        classifier: PluginClassifier,
        model: Data,
        testMatrix: [Double],
        truth: [Int],
        settings: Settings
    ) async throws -> (values: [Double], method: String) {
        let width = classifier.featureNames.count
        if response.featureImportances.count == width {
            return (response.featureImportances, "model")
        }
        // Permutation importances on (a sample of) the test rows, for models without their own.
        let rows = min(truth.count, Self.permutationRows)
        let sample = Array(testMatrix.prefix(rows * width))
        let values = try await PermutationImportance.compute(
            matrix: sample,
            featureCount: width,
            truth: Array(truth.prefix(rows)),
            repeats: Self.permutationRepeats,
            seed: settings.splitSeed
        ) { matrix in
            try await classifier.predict(model: model, rows: matrix).classes
        }
        return (values, "permutation")
    }
}

extension Crm_V1_TrainRequest {
    /// `random_state` when set.
    var seedValue: Int64? {
        if case .randomState(let seed)? = seed { seed } else { nil }
    }
}

extension Crm_V1_TabularDataset {
    /// The values as rows of `feature_names.count` columns, NaN as missing; the caller has checked
    /// that the values fill whole rows.
    var rows: [[Double?]] {
        let width = featureNames.count
        guard width > 0 else { return [] }
        return stride(from: 0, to: values.count, by: width).map { start in
            values[start..<start + width].map { $0.isNaN ? nil : $0 }
        }
    }
}

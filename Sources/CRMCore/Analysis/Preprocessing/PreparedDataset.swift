/// A table taken through the whole shared preprocessing: cleaned, its classes encoded, split (the table's own
/// split, or a ``StratifiedSplit`` drawn from the seed) and turned into the dense matrices the analysis plugins
/// take, with a ``Preprocessor`` fitted on the training rows only.
public struct PreparedDataset: Sendable {
    /// The preprocessed rows of one part of the data, for a plugin.
    public struct Part: Sendable, Hashable {
        /// Indexes of the rows in ``PreparedDataset/cleaned``.
        public var rows: [Int]
        /// `rows.count × featureCount` finite values, row-major.
        public var matrix: [Double]
        /// The class index of each row.
        public var labels: [Int]
    }

    /// The training and test parts of one cross-validation fold, preprocessed by a ``Preprocessor`` fitted on
    /// that fold's training part alone, so that no statistic of the fold's test rows leaks into training.
    public struct Fold: Sendable, Hashable {
        /// Fitted on ``training`` of this fold.
        public var preprocessor: Preprocessor
        /// The fold's training rows (the other folds).
        public var training: Part
        /// The fold's held-out rows.
        public var test: Part
    }

    /// The table after ``DataCleaning``.
    public let cleaned: LabeledTable
    /// What cleaning found.
    public let report: CleaningReport
    /// The classes of the target.
    public let classes: ClassIndex
    /// The imputation and scaling, fitted on ``training``; saved with the model.
    public let preprocessor: Preprocessor
    /// The training rows.
    public let training: Part
    /// The test rows.
    public let test: Part

    /// The number of feature columns.
    public var featureCount: Int { cleaned.featureCount }

    /// Prepares `table`.
    /// - Parameters:
    ///   - table: The dataset built from the registry.
    ///   - testFraction: The share of test rows when the table has no split of its own.
    ///   - seed: The seed of that split.
    /// - Throws: ``CRMError``: `failedPrecondition` when, after cleaning, there is no training row or fewer than
    ///   two classes; `invalidArgument` for a bad `testFraction`.
    public static func prepare(
        _ table: LabeledTable,
        testFraction: Double = 0.25,
        seed: UInt64
    ) throws(CRMError) -> PreparedDataset {
        let (cleaned, report) = DataCleaning.clean(table)
        let names = cleaned.labels.map { $0 ?? "" }
        let classes = ClassIndex(labels: names)
        guard classes.count >= 2 else {
            throw CRMError(
                .failedPrecondition,
                "the target needs at least two classes after cleaning (found \(classes.count))"
            )
        }
        guard let labels = classes.encode(names) else {
            throw CRMError(.internalError, "a label escaped its class index")
        }
        let isTest: [Bool]
        if let fixed = cleaned.isTest {
            isTest = fixed
        } else {
            isTest = try StratifiedSplit.split(labels: labels, testFraction: testFraction, seed: seed)
        }
        let trainingRows = isTest.indices.filter { !isTest[$0] }
        let testRows = isTest.indices.filter { isTest[$0] }
        guard !trainingRows.isEmpty else {
            throw CRMError(.failedPrecondition, "no training rows are left after cleaning")
        }
        let preprocessor = Preprocessor.fit(
            rows: trainingRows.map { cleaned.rows[$0] },
            featureCount: cleaned.featureCount
        )
        return PreparedDataset(
            cleaned: cleaned,
            report: report,
            classes: classes,
            preprocessor: preprocessor,
            training: part(trainingRows, of: cleaned, labels: labels, preprocessor: preprocessor),
            test: part(testRows, of: cleaned, labels: labels, preprocessor: preprocessor)
        )
    }

    /// Stratified k-fold cross-validation folds of the training rows (the test rows stay out of it).
    /// - Parameters:
    ///   - k: The number of folds asked for (see ``StratifiedKFold`` for when fewer are made).
    ///   - seed: The seed of the fold assignment.
    /// - Throws: ``CRMError`` (`invalidArgument`) as ``StratifiedKFold/folds(labels:k:seed:)``.
    public func crossValidationFolds(k: Int, seed: UInt64) throws(CRMError) -> [Fold] {
        let folds = try StratifiedKFold.folds(labels: training.labels, k: k, seed: seed)
        var labels = [Int](repeating: 0, count: cleaned.rowCount)
        for (row, label) in zip(training.rows, training.labels) { labels[row] = label }
        return folds.map { testPositions in
            var inTest = [Bool](repeating: false, count: training.rows.count)
            for position in testPositions { inTest[position] = true }
            let foldTraining = training.rows.indices.filter { !inTest[$0] }.map { training.rows[$0] }
            let foldTest = testPositions.map { training.rows[$0] }
            let preprocessor = Preprocessor.fit(
                rows: foldTraining.map { cleaned.rows[$0] },
                featureCount: cleaned.featureCount
            )
            return Fold(
                preprocessor: preprocessor,
                training: Self.part(foldTraining, of: cleaned, labels: labels, preprocessor: preprocessor),
                test: Self.part(foldTest, of: cleaned, labels: labels, preprocessor: preprocessor)
            )
        }
    }

    private static func part(
        _ rows: [Int],
        of table: LabeledTable,
        labels: [Int],
        preprocessor: Preprocessor
    ) -> Part {
        Part(
            rows: rows,
            matrix: preprocessor.transform(rows.map { table.rows[$0] }),
            labels: rows.map { labels[$0] }
        )
    }
}

extension Dataset {
    /// Creates a dataset from rows of equal length.
    ///
    /// - Parameters:
    ///   - featureNames: One name per column.
    ///   - rows: The rows; each must have `featureNames.count` values.
    ///   - labels: The class index of each row, or empty.
    ///   - classNames: The class names, indexed by label.
    public init(featureNames: [String], rows: [[Double]], labels: [Int32] = [], classNames: [String] = []) {
        self.init()
        self.featureNames = featureNames
        self.nRows = Int32(rows.count)
        self.nFeatures = Int32(featureNames.count)
        self.values.reserveCapacity(rows.count * featureNames.count)
        for row in rows {
            self.values.append(contentsOf: row)
        }
        self.labels = labels
        self.classNames = classNames
    }

    /// The number of rows, as an `Int`.
    public var rowCount: Int {
        Int(nRows)
    }

    /// The number of features (columns), as an `Int`.
    public var featureCount: Int {
        Int(nFeatures)
    }

    /// The values of row `index` (0-based), a slice of ``values``.
    public func row(_ index: Int) -> ArraySlice<Double> {
        let width = featureCount
        return values[index * width..<(index + 1) * width]
    }

    /// Checks that the dataset is what `analysis.proto` promises, so that code using it can index without
    /// further checks: non-negative sizes, `values` of exactly `n_rows × n_features` finite numbers,
    /// `feature_names` empty or one per column, weights empty or one per row (each finite and ≥ 0), and — when
    /// `requireLabels` — one label per row, each an index into a non-empty `class_names`.
    ///
    /// The export helper runs it before ``AnalysisPlugin/train(_:context:)`` (with labels) and
    /// ``AnalysisPlugin/predict(_:context:)`` (without).
    ///
    /// - Parameter requireLabels: Whether labels must be present and valid (training).
    /// - Throws: ``PluginError`` with code ``PluginError/Code-swift.struct/invalidArgument`` naming the problem.
    public func validate(requireLabels: Bool) throws(PluginError) {
        func refuse(_ message: String) -> PluginError {
            PluginError(code: .invalidArgument, message: "dataset: \(message)")
        }
        guard nRows >= 0, nFeatures >= 0 else {
            throw refuse("n_rows (\(nRows)) and n_features (\(nFeatures)) must not be negative")
        }
        let (expected, overflow) = rowCount.multipliedReportingOverflow(by: featureCount)
        guard !overflow, values.count == expected else {
            throw refuse("values has \(values.count) entries, expected n_rows × n_features = \(nRows) × \(nFeatures)")
        }
        if !featureNames.isEmpty && featureNames.count != featureCount {
            throw refuse("feature_names has \(featureNames.count) entries for \(nFeatures) features")
        }
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            let width = Swift.max(featureCount, 1)
            throw refuse("value at row \(index / width), feature \(index % width) is \(values[index]), not finite")
        }
        if !sampleWeights.isEmpty {
            guard sampleWeights.count == rowCount else {
                throw refuse("sample_weights has \(sampleWeights.count) entries for \(nRows) rows")
            }
            if let row = sampleWeights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw refuse("sample weight of row \(row) is \(sampleWeights[row]); weights must be finite and ≥ 0")
            }
        }
        guard requireLabels else {
            return
        }
        guard !classNames.isEmpty else {
            throw refuse("class_names is empty; training needs at least one class")
        }
        guard labels.count == rowCount else {
            throw refuse("labels has \(labels.count) entries for \(nRows) rows")
        }
        let classCount = Int32(clamping: classNames.count)
        if let row = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw refuse("label of row \(row) is \(labels[row]), not an index into the \(classCount) class names")
        }
    }
}

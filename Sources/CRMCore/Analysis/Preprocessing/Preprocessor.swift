/// Median imputation followed by standardisation, fitted on the training rows and saved with the model so that
/// prediction sees the same transformation as training.
///
/// The same as scikit-learn's `make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
/// StandardScaler())`:
/// - a missing (`nil`) or non-finite value is replaced by the column's median over the training rows (the mean
///   of the two middle values for an even count, as `numpy.median`); a column with no value at all is
///   imputed with 0;
/// - each column is then centred on its mean and divided by its population standard deviation (`ddof=0`),
///   both over the imputed training rows; a column whose variance is zero up to rounding (scikit-learn's
///   `_is_constant_feature` test) keeps scale 1, so it becomes all zeros rather than dividing by zero.
///
/// Encoding with `JSONEncoder` (`.sortedKeys`) gives the same bytes for the same fit.
public struct Preprocessor: Codable, Sendable, Hashable {
    /// The number of feature columns the preprocessor was fitted on.
    public let featureCount: Int
    /// The value imputed for a missing entry, per column.
    public let medians: [Double]
    /// The mean of each imputed column, subtracted by ``transform(row:)``.
    public let means: [Double]
    /// The divisor of each centred column (the standard deviation, or 1 for a constant column).
    public let scales: [Double]

    /// A preprocessor with the given parameters, as decoded from a stored model.
    /// - Parameters:
    ///   - medians: The imputed value per column.
    ///   - means: The mean per column.
    ///   - scales: The positive divisor per column.
    public init(medians: [Double], means: [Double], scales: [Double]) {
        precondition(medians.count == means.count && means.count == scales.count, "one parameter per column")
        self.featureCount = medians.count
        self.medians = medians
        self.means = means
        self.scales = scales
    }

    /// Decodes a stored preprocessor, refusing one whose parameters do not line up.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let featureCount = try container.decode(Int.self, forKey: .featureCount)
        let medians = try container.decode([Double].self, forKey: .medians)
        let means = try container.decode([Double].self, forKey: .means)
        let scales = try container.decode([Double].self, forKey: .scales)
        guard medians.count == featureCount, means.count == featureCount, scales.count == featureCount,
            scales.allSatisfy({ $0 > 0 && $0.isFinite })
        else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "preprocessor parameters do not match")
            )
        }
        self.init(medians: medians, means: means, scales: scales)
    }

    /// Fits the imputation and scaling on training rows.
    /// - Parameters:
    ///   - rows: The training rows only; `nil` or non-finite values are missing.
    ///   - featureCount: The number of columns, needed when `rows` is empty (then every column is imputed with 0
    ///     and left unscaled). Defaults to the width of the first row.
    public static func fit(rows: [[Double?]], featureCount: Int? = nil) -> Preprocessor {
        let width = featureCount ?? rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "every row must have \(width) values")
        var medians = [Double](repeating: 0, count: width)
        var means = [Double](repeating: 0, count: width)
        var scales = [Double](repeating: 1, count: width)
        guard !rows.isEmpty else {
            return Preprocessor(medians: medians, means: means, scales: scales)
        }
        let count = Double(rows.count)
        var present: [Double] = []
        present.reserveCapacity(rows.count)
        for column in 0..<width {
            present.removeAll(keepingCapacity: true)
            for row in rows {
                if let value = row[column], value.isFinite {
                    present.append(value)
                }
            }
            let median = Self.median(of: &present)
            medians[column] = median
            let missing = Double(rows.count - present.count)

            var sum = missing * median
            for value in present { sum += value }
            let mean = sum / count
            var squares = missing * (median - mean) * (median - mean)
            for value in present { squares += (value - mean) * (value - mean) }
            let variance = squares / count
            means[column] = mean

            // scikit-learn's _is_constant_feature: a variance this small is rounding error of a constant column.
            let epsilon = Double.ulpOfOne
            let bound = count * epsilon * variance + (count * mean * epsilon) * (count * mean * epsilon)
            scales[column] = variance <= bound ? 1 : variance.squareRoot()
        }
        return Preprocessor(medians: medians, means: means, scales: scales)
    }

    /// Imputes and scales one row.
    /// - Parameter row: ``featureCount`` values; `nil` or non-finite values are missing.
    /// - Returns: ``featureCount`` finite values.
    public func transform(row: [Double?]) -> [Double] {
        var output: [Double] = []
        output.reserveCapacity(featureCount)
        append(row, to: &output)
        return output
    }

    /// Imputes and scales rows into the dense row-major matrix the analysis plugins take.
    /// - Parameter rows: Rows of ``featureCount`` values each; `nil` or non-finite values are missing.
    /// - Returns: `rows.count × featureCount` finite values, row after row.
    public func transform(_ rows: [[Double?]]) -> [Double] {
        var output: [Double] = []
        output.reserveCapacity(rows.count * featureCount)
        for row in rows {
            append(row, to: &output)
        }
        return output
    }

    private func append(_ row: [Double?], to output: inout [Double]) {
        precondition(row.count == featureCount, "a row has \(row.count) values for \(featureCount) features")
        for column in 0..<featureCount {
            var value = medians[column]
            if let given = row[column], given.isFinite {
                value = given
            }
            let scaled = (value - means[column]) / scales[column]
            output.append(Self.finite(scaled))
        }
    }

    /// Only overflow of extreme inputs can leave the finite range; clamp rather than hand a plugin inf or NaN.
    private static func finite(_ value: Double) -> Double {
        if value.isFinite { return value }
        if value.isNaN { return 0 }
        return value > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude
    }

    /// The median as `numpy.median` computes it; 0 for no values. Sorts `values`.
    private static func median(of values: inout [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        values.sort()
        let middle = values.count / 2
        if values.count % 2 == 1 {
            return values[middle]
        }
        // The midpoint without overflow for large magnitudes of the same sign.
        let low = values[middle - 1]
        let high = values[middle]
        let sum = low + high
        return sum.isFinite ? sum / 2 : low / 2 + high / 2
    }
}

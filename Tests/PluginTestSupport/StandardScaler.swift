/// scikit-learn's `StandardScaler`: each feature less its mean, over its population standard deviation (1 where that
/// is 0), both taken on the rows it is fitted on — the training rows, as the host standardises.
package struct StandardScaler {
    /// Each feature's mean over the fitted rows.
    package private(set) var mean: [Double]
    /// Each feature's population standard deviation over the fitted rows, 1 where it is 0.
    package private(set) var deviation: [Double]

    /// Fits the scaler on some rows of a row-major matrix.
    ///
    /// - Parameters:
    ///   - values: The matrix, row after row.
    ///   - width: How many features a row has.
    ///   - rows: The indices of the rows to fit on.
    package init(fitting values: [Double], width: Int, rows: [Int]) {
        let count = Double(rows.count)
        mean = [Double](repeating: 0, count: width)
        deviation = [Double](repeating: 0, count: width)
        for row in rows {
            for column in 0..<width {
                mean[column] += values[row * width + column] / count
            }
        }
        for row in rows {
            for column in 0..<width {
                let difference = values[row * width + column] - mean[column]
                deviation[column] += difference * difference / count
            }
        }
        deviation = deviation.map { $0 > 0 ? $0.squareRoot() : 1 }
    }

    /// `value` of feature `column`, standardised.
    package func transform(_ value: Double, column: Int) -> Double {
        (value - mean[column]) / deviation[column]
    }
}

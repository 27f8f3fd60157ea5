package import CRMPluginKit

extension Dataset {
    /// A dataset from rows, with features named `x0`, `x1`, … and classes `c0`, `c1`, …
    ///
    /// - Parameters:
    ///   - rows: The values, one array per row, all of one width.
    ///   - labels: Each row's class, or none for a dataset to predict.
    ///   - classes: How many classes there are.
    package init(rows: [[Double]], labels: [Int32] = [], classes: Int = 2) {
        let width = rows.first?.count ?? 0
        self.init(
            featureNames: (0..<width).map { "x\($0)" },
            rows: rows,
            labels: labels,
            classNames: (0..<classes).map { "c\($0)" }
        )
    }
}

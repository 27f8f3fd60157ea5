/// The rows of each class, in row order; shared by ``StratifiedSplit`` and ``StratifiedKFold``.
struct ClassMembers {
    /// `rows[c]` lists the rows whose label is `c`; classes without rows have empty lists.
    var rows: [[Int]]

    init(labels: [Int]) throws(CRMError) {
        if let bad = labels.firstIndex(where: { $0 < 0 }) {
            throw CRMError.invalid("labels[\(bad)]", "must be a class index (got \(labels[bad]))")
        }
        var rows = [[Int]](repeating: [], count: (labels.max() ?? -1) + 1)
        for (row, label) in labels.enumerated() {
            rows[label].append(row)
        }
        self.rows = rows
    }
}

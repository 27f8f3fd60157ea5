/// Seeded stratified k-fold cross-validation folds, like scikit-learn's
/// `StratifiedKFold(n_splits=k, shuffle=True)`.
///
/// The rows of each class are shuffled with ``SplitMix64`` from the seed, the classes are laid end to end and
/// the rows dealt to the folds in turn, scikit-learn's allocation: every row is in exactly one fold, the fold
/// sizes differ by at most one, and so do the counts of each class across folds.
///
/// The number of folds is reduced when the data cannot fill `k` of them: to the number of rows, and to the
/// size of the smallest class with at least two rows, so that every fold's training part holds that class
/// and, where possible, its test part too. Classes of a single row (which scikit-learn only warns about) fall
/// in one fold. ``effectiveK(labels:k:)`` gives the number without drawing.
public enum StratifiedKFold {
    /// The number of folds `folds(labels:k:seed:)` makes for these labels.
    /// - Parameters:
    ///   - labels: The class index of each row (non-negative).
    ///   - k: The number of folds asked for, at least 2.
    /// - Throws: ``CRMError`` (`invalidArgument`) when `k < 2`, a label is negative, or there are fewer than two
    ///   rows.
    public static func effectiveK(labels: [Int], k: Int) throws(CRMError) -> Int {
        try effectiveK(members: ClassMembers(labels: labels), rowCount: labels.count, k: k)
    }

    /// Draws the folds.
    /// - Parameters:
    ///   - labels: The class index of each row (non-negative).
    ///   - k: The number of folds asked for, at least 2; reduced as described above (the count of the result
    ///     says how many folds there are).
    ///   - seed: The seed of the shuffle.
    /// - Returns: The test rows of each fold, ascending; the training rows of a fold are all the others.
    /// - Throws: ``CRMError`` (`invalidArgument`) when `k < 2`, a label is negative, or there are fewer than two
    ///   rows.
    public static func folds(labels: [Int], k: Int, seed: UInt64) throws(CRMError) -> [[Int]] {
        let members = try ClassMembers(labels: labels)
        let folds = try effectiveK(members: members, rowCount: labels.count, k: k)
        var generator = SplitMix64(seed: seed)
        var result = [[Int]](repeating: [], count: folds)
        var position = 0
        for rows in members.rows {
            var shuffled = rows
            generator.shuffle(&shuffled)
            for row in shuffled {
                result[position % folds].append(row)
                position += 1
            }
        }
        return result.map { $0.sorted() }
    }

    private static func effectiveK(members: ClassMembers, rowCount: Int, k: Int) throws(CRMError) -> Int {
        guard k >= 2 else {
            throw CRMError.invalid("k", "must be at least 2 (got \(k))")
        }
        guard rowCount >= 2 else {
            throw CRMError.invalid("labels", "cross-validation needs at least 2 rows (got \(rowCount))")
        }
        let smallestClass = members.rows.map(\.count).filter { $0 >= 2 }.min() ?? rowCount
        return max(2, min(k, rowCount, smallestClass))
    }
}

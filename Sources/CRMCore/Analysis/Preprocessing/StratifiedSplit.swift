/// A seeded train/test split that keeps the class proportions, like scikit-learn's
/// `train_test_split(stratify=y)` (`StratifiedShuffleSplit`).
///
/// The test set has `ceil(n × testFraction)` rows, as in scikit-learn, shared among the classes in proportion
/// to their size: each class gets the integer part of its share, and the rows left over go to the classes with
/// the largest remainders (ties drawn with the seed), scikit-learn's `_approximate_mode`. Unlike
/// scikit-learn, which refuses such data, a class of one row stays in training, and every class keeps at least
/// one training row; the test rows this frees go to the other classes by the same rule, so the test set can
/// only be smaller than asked when the data leaves no other choice. Within each class, the test rows are drawn
/// with ``SplitMix64`` from `seed`: the same labels and seed give the same split, though not the rows
/// scikit-learn would choose.
public enum StratifiedSplit {
    /// Draws the split.
    /// - Parameters:
    ///   - labels: The class index of each row (non-negative).
    ///   - testFraction: The share of rows for testing, in `(0, 1)`.
    ///   - seed: The seed of the draw.
    /// - Returns: One flag per row, `true` for a test row.
    /// - Throws: ``CRMError`` (`invalidArgument`) for a fraction outside `(0, 1)` or a negative label.
    public static func split(labels: [Int], testFraction: Double = 0.25, seed: UInt64) throws(CRMError) -> [Bool] {
        guard testFraction > 0, testFraction < 1 else {
            throw CRMError.invalid("testFraction", "must be between 0 and 1 (got \(testFraction))")
        }
        let members = try ClassMembers(labels: labels)
        var isTest = [Bool](repeating: false, count: labels.count)
        guard !labels.isEmpty else { return isTest }

        var generator = SplitMix64(seed: seed)
        let requested = min(Int((Double(labels.count) * testFraction).rounded(.up)), labels.count)
        // A class keeps one training row; a class of one row has none to give.
        let capacity = members.rows.map { max($0.count - 1, 0) }
        let testCounts = allocate(requested, sizes: members.rows.map(\.count), capacity: capacity, using: &generator)

        for (rows, count) in zip(members.rows, testCounts) where count > 0 {
            var shuffled = rows
            generator.shuffle(&shuffled)
            for row in shuffled.prefix(count) {
                isTest[row] = true
            }
        }
        return isTest
    }

    /// Shares `total` draws among classes in proportion to `sizes`, each at most its `capacity`: largest
    /// remainders first, ties in random order; what a full class cannot take goes round again to the others.
    private static func allocate(
        _ total: Int,
        sizes: [Int],
        capacity: [Int],
        using generator: inout SplitMix64
    ) -> [Int] {
        let n = sizes.reduce(0, +)
        var counts = [Int](repeating: 0, count: sizes.count)
        guard n > 0 else { return counts }
        // Exact shares in integers: class c is owed sizes[c] × total / n.
        var remainders: [(class: Int, remainder: Int)] = []
        var assigned = 0
        for (index, size) in sizes.enumerated() {
            let owed = size * total
            counts[index] = min(owed / n, capacity[index])
            assigned += counts[index]
            remainders.append((index, owed % n))
        }
        var order = Array(sizes.indices)
        generator.shuffle(&order)
        // A stable sort of the shuffled order: equal remainders stay in random order.
        let ranked = order.enumerated().sorted { lhs, rhs in
            let left = remainders[lhs.element].remainder
            let right = remainders[rhs.element].remainder
            return left != right ? left > right : lhs.offset < rhs.offset
        }.map(\.element)

        var left = total - assigned
        while left > 0 {
            var placed = false
            for index in ranked where left > 0 && counts[index] < capacity[index] {
                counts[index] += 1
                left -= 1
                placed = true
            }
            if !placed { break }
        }
        return counts
    }
}

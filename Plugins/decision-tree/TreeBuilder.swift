import CRMPluginKit
import Foundation

/// Grows a CART tree depth-first, as scikit-learn's `DepthFirstTreeBuilder` with its `BestSplitter`: at each node
/// every feature is tried (in a seeded random order), its values sorted, and every midpoint between consecutive
/// distinct values scored by the weighted impurity of the two sides. The first best split in that order wins. (With
/// whole-number weights, the values come sorted from ``PresortedColumns`` instead, which finds the same splits.)
///
/// The order is scikit-learn's own: the same draws from the same generator (`rand_r` seeded from NumPy's
/// `RandomState(random_state).randint(0, 2**31 - 1)`), with the same bookkeeping of constant features, and the
/// impurities computed with the same arithmetic, so that equally good splits are broken the same way and a tree
/// grown with `random_state=k` is normally scikit-learn's tree for `random_state=k`.
struct TreeBuilder {
    /// scikit-learn's `FEATURE_THRESHOLD`: values closer than this are the same value.
    static let featureThreshold = 1e-7
    static let ln2 = log(2.0)

    private let rowCount: Int
    private let featureCount: Int
    private let classCount: Int
    /// Column-major values: feature `f` of row `r` is `columns[f * rowCount + r]`.
    private let columns: [Double]
    private let labels: [Int]
    private let weights: [Double]
    private let settings: TreeSettings
    private var random: SklearnRandom
    /// Per node (indexed like the tree): the weighted row count and the impurity.
    private var nodeWeights: [Double] = []
    private var nodeImpurities: [Double] = []
    /// Whether every weight is a whole number and their total below 2⁵³: then every weighted count is exact, whatever
    /// the order of the rows summed, and the columns can be sorted once (``PresortedColumns``) instead of at each node.
    private let wholeWeights: Bool

    init(dataset: Dataset, weights: [Double], settings: TreeSettings) {
        let (rowCount, featureCount) = (dataset.rowCount, dataset.featureCount)
        self.rowCount = rowCount
        self.featureCount = featureCount
        classCount = dataset.classNames.count
        var columns = [Double](repeating: 0, count: rowCount * featureCount)
        dataset.values.withUnsafeBufferPointer { values in
            for row in 0..<rowCount {
                for feature in 0..<featureCount {
                    columns[feature * rowCount + row] = values[row * featureCount + feature]
                }
            }
        }
        self.columns = columns
        labels = dataset.labels.map { Int($0) }
        self.weights = weights
        wholeWeights =
            weights.allSatisfy { $0 == $0.rounded(.towardZero) } && weights.reduce(0, +) < 9_007_199_254_740_992
        self.settings = settings
        if let seed = settings.seed {
            random = SklearnRandom(numpySeed: UInt32(truncatingIfNeeded: seed))
        } else {
            var system = SystemRandomNumberGenerator()
            random = SklearnRandom(state: UInt32.random(in: 1...UInt32.max, using: &system))
        }
    }

    private struct Pending {
        var start: Int
        var end: Int
        var depth: Int
        var node: Int
        /// scikit-learn's `n_constant_features`: how many features at the front of `features` are known constant.
        var constantCount: Int
    }

    private struct Split {
        var feature = -1
        var position = 0
        var threshold = 0.0
        var proxy = -Double.infinity
        /// The feature has one value (within 1e-7) in the node.
        var constant = false
    }

    struct Entry {
        var value: Double
        var row: Int32
    }

    /// Grows the tree; reports progress as the share of rows settled in leaves, and stops when cancelled.
    mutating func build(context: PluginCallContext) throws(PluginError) -> TreeModel {
        var tree = TreeModel(criterion: settings.criterion, featureCount: featureCount, classCount: classCount)
        var samples = (0..<rowCount).map { Int32($0) }
        var entries = [Entry](repeating: Entry(value: 0, row: 0), count: rowCount)
        var counts = [Double](repeating: 0, count: classCount)
        var left = [Double](repeating: 0, count: classCount)
        // scikit-learn's `features` and `constant_features` arrays of the splitter, kept from node to node.
        var features = Array(0..<featureCount)
        var constantFeatures = Array(0..<featureCount)
        var settled = 0
        // With whole weights, the order of equal values does not matter (every sum is exact): the columns are
        // sorted once. Otherwise each node sorts its values as scikit-learn does, so that the sums add up in its
        // order.
        var presorted =
            wholeWeights ? PresortedColumns(columns: columns, rowCount: rowCount, featureCount: featureCount) : nil

        func addNode(_ tree: inout TreeModel, start: Int, end: Int, samples: [Int32]) -> Int {
            for index in 0..<classCount {
                counts[index] = 0
            }
            for position in start..<end {
                let row = Int(samples[position])
                counts[labels[row]] += weights[row]
            }
            let node = counts.withUnsafeBufferPointer { tree.addNode(counts: $0) }
            let total = counts.reduce(0, +)
            nodeWeights.append(total)
            nodeImpurities.append(impurity(counts, total: total))
            return node
        }

        let root = addNode(&tree, start: 0, end: rowCount, samples: samples)
        var stack = [Pending(start: 0, end: rowCount, depth: 0, node: root, constantCount: 0)]
        while let pending = stack.popLast() {
            try context.checkCancellation()
            context.reportProgress(Double(settled) / Double(rowCount), "growing the tree: \(tree.nodeCount) nodes")
            let (start, end, node) = (pending.start, pending.end, pending.node)
            let size = end - start
            var isLeaf =
                size < settings.minSamplesSplit || size < 2 * settings.minSamplesLeaf
                || nodeImpurities[node] <= Double.ulpOfOne
            if let maxDepth = settings.maxDepth, pending.depth >= maxDepth {
                isLeaf = true
            }
            var best = Split()
            var constantCount = pending.constantCount
            if !isLeaf {
                // The node's weighted class counts, for the right side of each scan.
                for index in 0..<classCount {
                    counts[index] = 0
                }
                for position in start..<end {
                    let row = Int(samples[position])
                    counts[labels[row]] += weights[row]
                }
                // scikit-learn's node_split_best: draw features without replacement, skipping known constants.
                let known = pending.constantCount
                var remaining = featureCount
                var (visited, found, drawn, total) = (0, 0, 0, known)
                while remaining > total && (visited < featureCount || visited <= found + drawn) {
                    visited += 1
                    var index = random.int(in: drawn, remaining - found)
                    if index < known {
                        features.swapAt(drawn, index)
                        drawn += 1
                        continue
                    }
                    index += found
                    let split =
                        if let presorted {
                            presorted.withRows(of: features[index], start, end) { sorted in
                                bestSplit(feature: features[index], sorted: sorted, total: counts, left: &left)
                            }
                        } else {
                            bestSplit(
                                feature: features[index],
                                start: start,
                                end: end,
                                samples: samples,
                                entries: &entries,
                                total: counts,
                                left: &left
                            )
                        }
                    if split.constant {
                        features.swapAt(index, total)
                        found += 1
                        total += 1
                        continue
                    }
                    remaining -= 1
                    features.swapAt(remaining, index)
                    if split.feature >= 0 && split.proxy > best.proxy {
                        best = split
                    }
                }
                for index in 0..<known {
                    features[index] = constantFeatures[index]
                }
                for index in known..<(known + found) {
                    constantFeatures[index] = features[index]
                }
                constantCount = total
                isLeaf = best.feature < 0
            }
            if isLeaf {
                settled += size
                continue
            }
            // Partition the node's rows: those ≤ threshold first.
            let base = best.feature * rowCount
            var low = start
            var high = end - 1
            while low <= high {
                if columns[base + Int(samples[low])] <= best.threshold {
                    low += 1
                } else {
                    samples.swapAt(low, high)
                    high -= 1
                }
            }
            let middle = low
            presorted?.split(start, end, feature: best.feature, threshold: best.threshold)
            let leftNode = addNode(&tree, start: start, end: middle, samples: samples)
            let rightNode = addNode(&tree, start: middle, end: end, samples: samples)
            tree.features[node] = Int32(best.feature)
            tree.thresholds[node] = best.threshold
            tree.leftChildren[node] = Int32(leftNode)
            tree.rightChildren[node] = Int32(rightNode)
            // Right pushed first so that the left subtree is grown first, as scikit-learn does.
            stack.append(
                Pending(
                    start: middle,
                    end: end,
                    depth: pending.depth + 1,
                    node: rightNode,
                    constantCount: constantCount
                )
            )
            stack.append(
                Pending(
                    start: start,
                    end: middle,
                    depth: pending.depth + 1,
                    node: leftNode,
                    constantCount: constantCount
                )
            )
        }
        return tree
    }

    /// The best split of the node's rows on one feature, sorting them first; `Split(constant: true)` when the
    /// feature is constant there, `Split()` when no split keeps `min_samples_leaf` rows each side.
    private func bestSplit(
        feature: Int,
        start: Int,
        end: Int,
        samples: [Int32],
        entries: inout [Entry],
        total: [Double],
        left: inout [Double]
    ) -> Split {
        let size = end - start
        return columns.withUnsafeBufferPointer { columns -> Split in
            let column = UnsafeBufferPointer(rebasing: columns[feature * rowCount..<(feature + 1) * rowCount])
            return entries.withUnsafeMutableBufferPointer { entries -> Split in
                var low = Double.infinity
                var high = -Double.infinity
                samples.withUnsafeBufferPointer { samples in
                    for index in 0..<size {
                        let row = samples[start + index]
                        let value = column[Int(row)]
                        entries[index] = Entry(value: value, row: row)
                        low = min(low, value)
                        high = max(high, value)
                    }
                }
                guard high > low + Self.featureThreshold else {
                    return Split(constant: true)
                }
                let slice = UnsafeMutableBufferPointer(rebasing: entries[0..<size])
                sortByValue(slice)
                return scan(feature: feature, sorted: UnsafeBufferPointer(slice), total: total, left: &left)
            }
        }
    }

    /// The best split of the node's rows on one feature, given them in order of value (at least one).
    private func bestSplit(
        feature: Int,
        sorted: UnsafeBufferPointer<Entry>,
        total: [Double],
        left: inout [Double]
    ) -> Split {
        guard sorted[sorted.count - 1].value > sorted[0].value + Self.featureThreshold else {
            return Split(constant: true)
        }
        return scan(feature: feature, sorted: sorted, total: total, left: &left)
    }

    /// The first best of the midpoints between consecutive distinct values of rows sorted by value.
    private func scan(
        feature: Int,
        sorted slice: UnsafeBufferPointer<Entry>,
        total: [Double],
        left: inout [Double]
    ) -> Split {
        let size = slice.count
        let minLeaf = settings.minSamplesLeaf
        let classCount = classCount
        let entropy = settings.criterion == .entropy
        var best = Split()
        let totalWeight = total.reduce(0, +)
        return left.withUnsafeMutableBufferPointer { left -> Split in
            total.withUnsafeBufferPointer { total -> Split in
                labels.withUnsafeBufferPointer { labels in
                    weights.withUnsafeBufferPointer { weights in
                        for index in 0..<classCount {
                            left[index] = 0
                        }
                        var leftWeight = 0.0
                        // Position p splits the sorted rows into [0, p) and [p, size).
                        for position in 1..<size {
                            let row = Int(slice[position - 1].row)
                            left[labels[row]] += weights[row]
                            leftWeight += weights[row]
                            let previous = slice[position - 1].value
                            let next = slice[position].value
                            guard next > previous + Self.featureThreshold else {
                                continue
                            }
                            if position < minLeaf {
                                continue
                            }
                            if size - position < minLeaf {
                                break
                            }
                            let rightWeight = totalWeight - leftWeight
                            guard leftWeight > 0, rightWeight > 0 else {
                                continue
                            }
                            // scikit-learn's proxy, with its arithmetic: −wR·impurityR − wL·impurityL.
                            var impurityLeft = 0.0
                            var impurityRight = 0.0
                            if entropy {
                                for index in 0..<classCount {
                                    var countLeft = left[index]
                                    if countLeft > 0 {
                                        countLeft /= leftWeight
                                        impurityLeft -= countLeft * (log(countLeft) / Self.ln2)
                                    }
                                    var countRight = total[index] - left[index]
                                    if countRight > 0 {
                                        countRight /= rightWeight
                                        impurityRight -= countRight * (log(countRight) / Self.ln2)
                                    }
                                }
                            } else {
                                var squaresLeft = 0.0
                                var squaresRight = 0.0
                                for index in 0..<classCount {
                                    let countLeft = left[index]
                                    let countRight = total[index] - countLeft
                                    squaresLeft += countLeft * countLeft
                                    squaresRight += countRight * countRight
                                }
                                impurityLeft = 1.0 - squaresLeft / (leftWeight * leftWeight)
                                impurityRight = 1.0 - squaresRight / (rightWeight * rightWeight)
                            }
                            let proxy = -rightWeight * impurityRight - leftWeight * impurityLeft
                            if proxy > best.proxy {
                                var threshold = previous / 2 + next / 2
                                if threshold == next || !threshold.isFinite {
                                    threshold = previous
                                }
                                best = Split(
                                    feature: feature,
                                    position: position,
                                    threshold: threshold,
                                    proxy: proxy
                                )
                            }
                        }
                        return best
                    }
                }
            }
        }
    }

    /// The impurity of weighted class counts: gini or entropy (in bits), as scikit-learn.
    private func impurity(_ counts: [Double], total: Double) -> Double {
        guard total > 0 else {
            return 0
        }
        switch settings.criterion {
        case .gini:
            var squares = 0.0
            for count in counts {
                let share = count / total
                squares += share * share
            }
            return 1 - squares
        case .entropy:
            var entropy = 0.0
            for count in counts where count > 0 {
                let share = count / total
                entropy -= share * log2(share)
            }
            return entropy
        }
    }

    /// scikit-learn's `feature_importances_`: each feature's total weighted impurity decrease, normalised to sum 1
    /// (all 0 when the tree has no split).
    func featureImportances(_ tree: TreeModel) -> [Double] {
        var importances = [Double](repeating: 0, count: featureCount)
        for node in 0..<tree.nodeCount where tree.features[node] >= 0 {
            let left = Int(tree.leftChildren[node])
            let right = Int(tree.rightChildren[node])
            let decrease =
                nodeWeights[node] * nodeImpurities[node] - nodeWeights[left] * nodeImpurities[left]
                - nodeWeights[right] * nodeImpurities[right]
            importances[Int(tree.features[node])] += max(decrease, 0)
        }
        let total = importances.reduce(0, +)
        return total > 0 ? importances.map { $0 / total } : importances
    }
}

/// scikit-learn's tree generator: the xorshift `our_rand_r` of `sklearn/utils/_random.pyx`, seeded as its splitter
/// seeds it, from NumPy's legacy `RandomState(seed).randint(0, 2**31 - 1)` (MT19937).
struct SklearnRandom {
    private var state: UInt32

    init(state: UInt32) {
        self.state = state
    }

    /// The state scikit-learn's splitter starts from for `random_state=seed`.
    init(numpySeed seed: UInt32) {
        var mersenne = NumpyRandomState(seed: seed)
        var value: UInt32
        repeat {
            value = mersenne.next() & 0x7FFF_FFFF
        } while value > 2_147_483_646
        self.init(state: value)
    }

    /// `our_rand_r`.
    mutating func next() -> UInt32 {
        if state == 0 {
            state = 1
        }
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return state % 0x8000_0000
    }

    /// `rand_int(low, high)`: low ≤ value < high.
    mutating func int(in low: Int, _ high: Int) -> Int {
        low + Int(next() % UInt32(high - low))
    }
}

/// Sorts entries by value: introsort (median-of-three quicksort with a three-way partition, insertion sort for small
/// ranges, the standard library's sort past the depth limit), as scikit-learn sorts a node's feature values; faster
/// than the standard library's stable sort here, and the order of equal values does not matter.
func sortByValue(_ entries: UnsafeMutableBufferPointer<TreeBuilder.Entry>) {
    guard entries.count > 1 else {
        return
    }
    var limit = 2 * (Int.bitWidth - entries.count.leadingZeroBitCount)
    introsort(entries, 0, entries.count, &limit)
}

private func introsort(
    _ entries: UnsafeMutableBufferPointer<TreeBuilder.Entry>,
    _ start: Int,
    _ end: Int,
    _ limit: inout Int
) {
    var (start, end) = (start, end)
    while end - start > 16 {
        if limit == 0 {
            var rest = UnsafeMutableBufferPointer(rebasing: entries[start..<end])
            rest.sort { $0.value < $1.value }
            return
        }
        limit -= 1
        // Median of three as the pivot.
        let middle = start + (end - start) / 2
        let (a, b, c) = (entries[start].value, entries[middle].value, entries[end - 1].value)
        let pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b))
        // Three-way partition: [start, low) < pivot, [low, index) == pivot, (high, end) > pivot.
        var low = start
        var index = start
        var high = end - 1
        while index <= high {
            let value = entries[index].value
            if value < pivot {
                entries.swapAt(low, index)
                low += 1
                index += 1
            } else if value > pivot {
                entries.swapAt(index, high)
                high -= 1
            } else {
                index += 1
            }
        }
        // Recurse into the smaller side, loop on the larger.
        if low - start < end - (high + 1) {
            var sideLimit = limit
            introsort(entries, start, low, &sideLimit)
            start = high + 1
        } else {
            var sideLimit = limit
            introsort(entries, high + 1, end, &sideLimit)
            end = low
        }
    }
    // Insertion sort for the small rest.
    if end - start > 1 {
        for index in (start + 1)..<end {
            let entry = entries[index]
            var position = index
            while position > start && entries[position - 1].value > entry.value {
                entries[position] = entries[position - 1]
                position -= 1
            }
            entries[position] = entry
        }
    }
}

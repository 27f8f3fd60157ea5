/// Every feature's rows in order of value, sorted once at the root and kept sorted node by node: when a node splits,
/// each feature's run of the node's rows is partitioned stably into the left child's rows, then the right child's.
/// A node's rows are then in order of every feature without sorting them again, which is what most of a small
/// tree's time went on (a sort per feature per node).
///
/// Rows of equal value may come in another order than a sort at the node would leave them. That changes nothing
/// when the weights are whole numbers (the sums of the scan are then exact in any order); ``TreeBuilder`` uses
/// this only then.
struct PresortedColumns {
    private let rowCount: Int
    private let featureCount: Int
    /// Feature `f`'s rows are `entries[f * rowCount ..< (f + 1) * rowCount]`; within a node's positions
    /// `start..<end` of that run, the node's rows by value.
    private var entries: [TreeBuilder.Entry]
    /// The right child's rows of one feature, while partitioning it.
    private var spill: [TreeBuilder.Entry]
    /// Per row, while partitioning a node: whether it goes to the left child.
    private var goesLeft: [Bool]

    /// Sorts every column.
    ///
    /// - Parameters:
    ///   - columns: Column-major values: feature `f` of row `r` is `columns[f * rowCount + r]`.
    ///   - rowCount: The number of rows.
    ///   - featureCount: The number of features.
    init(columns: [Double], rowCount: Int, featureCount: Int) {
        self.rowCount = rowCount
        self.featureCount = featureCount
        entries = [TreeBuilder.Entry](repeating: TreeBuilder.Entry(value: 0, row: 0), count: rowCount * featureCount)
        spill = [TreeBuilder.Entry](repeating: TreeBuilder.Entry(value: 0, row: 0), count: rowCount)
        goesLeft = [Bool](repeating: false, count: rowCount)
        var keys = [UInt64](repeating: 0, count: 2 * rowCount)
        var rows = [Int32](repeating: 0, count: 2 * rowCount)
        var counts = [Int](repeating: 0, count: 8 * 256)
        entries.withUnsafeMutableBufferPointer { entries in
            keys.withUnsafeMutableBufferPointer { keys in
                rows.withUnsafeMutableBufferPointer { rows in
                    counts.withUnsafeMutableBufferPointer { counts in
                        columns.withUnsafeBufferPointer { columns in
                            for feature in 0..<featureCount {
                                let base = feature * rowCount
                                Self.sort(
                                    UnsafeBufferPointer(rebasing: columns[base..<base + rowCount]),
                                    into: UnsafeMutableBufferPointer(rebasing: entries[base..<base + rowCount]),
                                    keys: keys,
                                    rows: rows,
                                    counts: counts
                                )
                            }
                        }
                    }
                }
            }
        }
    }

    /// Sorts one column's rows by value into `sorted`: a least-significant-digit radix sort, a byte at a time, of
    /// the values' bits made to order as the values do. Without the mispredicted branches of a comparison sort, it
    /// takes a fraction of the time on columns of a few hundred rows and more; shorter ones are sorted as at a node.
    /// The order of equal values does not matter here.
    ///
    /// - Parameters:
    ///   - column: The values, by row.
    ///   - sorted: Where the rows go, by value; as long as `column`.
    ///   - keys: Scratch space, twice as long as `column`.
    ///   - rows: Scratch space, twice as long as `column`.
    ///   - counts: Scratch space for 8 × 256 counts.
    private static func sort(
        _ column: UnsafeBufferPointer<Double>,
        into sorted: UnsafeMutableBufferPointer<TreeBuilder.Entry>,
        keys: UnsafeMutableBufferPointer<UInt64>,
        rows: UnsafeMutableBufferPointer<Int32>,
        counts: UnsafeMutableBufferPointer<Int>
    ) {
        let count = column.count
        // Below a few hundred rows, the counting costs more than the comparisons it saves.
        if count < 256 {
            for row in 0..<count {
                sorted[row] = TreeBuilder.Entry(value: column[row], row: Int32(row))
            }
            sortByValue(sorted)
            return
        }
        // Positive values order as their bits with the sign bit set; negative ones as their bits inverted. -0.0
        // takes +0.0's key: the two are the same value.
        counts.update(repeating: 0)
        for row in 0..<count {
            let value = column[row]
            let bits = value == 0 ? 0 : value.bitPattern
            let key = bits >> 63 == 0 ? bits | 1 << 63 : ~bits
            keys[row] = key
            rows[row] = Int32(row)
            for byte in 0..<8 {
                counts[byte * 256 + Int(truncatingIfNeeded: key >> (8 * UInt64(byte)) & 0xFF)] += 1
            }
        }
        var (from, to) = (0, count)
        for byte in 0..<8 {
            let shift = 8 * UInt64(byte)
            // A byte all keys share leaves the order as it is.
            if counts[byte * 256 + Int(truncatingIfNeeded: keys[from] >> shift & 0xFF)] == count {
                continue
            }
            var offset = 0
            for digit in 0..<256 {
                let digitCount = counts[byte * 256 + digit]
                counts[byte * 256 + digit] = offset
                offset += digitCount
            }
            for index in 0..<count {
                let key = keys[from + index]
                let digit = byte * 256 + Int(truncatingIfNeeded: key >> shift & 0xFF)
                let target = counts[digit]
                counts[digit] = target + 1
                keys[to + target] = key
                rows[to + target] = rows[from + index]
            }
            swap(&from, &to)
        }
        for index in 0..<count {
            let row = rows[from + index]
            sorted[index] = TreeBuilder.Entry(value: column[Int(row)], row: row)
        }
    }

    /// Calls `body` with the rows at positions `start..<end` of `feature`'s run, in order of value.
    func withRows<Result>(
        of feature: Int,
        _ start: Int,
        _ end: Int,
        _ body: (UnsafeBufferPointer<TreeBuilder.Entry>) -> Result
    ) -> Result {
        entries.withUnsafeBufferPointer { entries in
            let base = feature * rowCount
            return body(UnsafeBufferPointer(rebasing: entries[base + start..<base + end]))
        }
    }

    /// Splits the node at positions `start..<end`: in every feature's run, the rows whose value of `feature` is at
    /// most `threshold` first, each side still in order of value.
    mutating func split(_ start: Int, _ end: Int, feature: Int, threshold: Double) {
        let (rowCount, featureCount) = (rowCount, featureCount)
        entries.withUnsafeMutableBufferPointer { entries in
            spill.withUnsafeMutableBufferPointer { spill in
                goesLeft.withUnsafeMutableBufferPointer { goesLeft in
                    let base = feature * rowCount
                    for position in start..<end {
                        goesLeft[Int(entries[base + position].row)] = entries[base + position].value <= threshold
                    }
                    for other in 0..<featureCount {
                        let base = other * rowCount
                        var left = base + start
                        var right = 0
                        for position in base + start..<base + end {
                            let entry = entries[position]
                            if goesLeft[Int(entry.row)] {
                                entries[left] = entry
                                left += 1
                            } else {
                                spill[right] = entry
                                right += 1
                            }
                        }
                        for index in 0..<right {
                            entries[left + index] = spill[index]
                        }
                    }
                }
            }
        }
    }
}

import Dispatch
import Synchronization

/// Two candidates (their indices in the ``CandidateStore``, `low < high`) whose score reached the threshold.
struct PairHit: Sendable {
    var low: UInt32
    var high: UInt32
    var score: Double
    var signals: SignalSet
}

/// The blocks of one ``BlockingKey`` kind over all candidates, and their comparison.
///
/// The members of every block are consecutive in ``entries``, by index, or in an oversized block by the order
/// of the sliding window and then by index, so that the same candidates give the same blocks, the same
/// comparisons and the same pairs in any run.
struct Blocks: Sendable {
    struct Entry: Sendable {
        var key: UInt64
        var index: UInt32
    }

    private let entries: [Entry]
    /// Where each block of two members or more starts and ends in `entries`.
    private let starts: [UInt32]
    private let ends: [UInt32]
    /// The comparisons of the blocks before each block, and at the end the total.
    private let cumulativeCost: [Int]

    /// Builds the blocks of `kind`.
    /// - Parameters:
    ///   - store: The candidates.
    ///   - nameOrder: The window order by name of each candidate (``CandidateStore/nameOrderKeys()``).
    init(kind: BlockingKey, store: CandidateStore, nameOrder: [UInt64]) {
        var entries: [Entry] = []
        entries.reserveCapacity(store.count)
        store.names.withUnsafeBufferPointer { names in
            for (index, record) in store.records.enumerated() {
                kind.keys(of: record, names: names) { key in
                    entries.append(Entry(key: key, index: UInt32(index)))
                }
            }
        }
        entries.sort { ($0.key, $0.index) < ($1.key, $1.index) }

        var starts: [UInt32] = []
        var ends: [UInt32] = []
        var cumulativeCost = [0]
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].key == entries[start].key {
                end += 1
            }
            let size = end - start
            if size > BlockingKey.blockLimit {
                let records = store.records
                func order(_ entry: Entry) -> UInt64 {
                    let record = records[Int(entry.index)]
                    return kind.ordersByPlace
                        ? UInt64(record.postalCode) << 32 | UInt64(record.street) : nameOrder[Int(entry.index)]
                }
                entries[start..<end].sort { (order($0), $0.index) < (order($1), $1.index) }
            }
            if size >= 2 {
                starts.append(UInt32(start))
                ends.append(UInt32(end))
                let cost = size <= BlockingKey.blockLimit ? size * (size - 1) / 2 : size * (BlockingKey.window - 1)
                cumulativeCost.append(cumulativeCost.last! + cost)
            }
            start = end
        }
        self.entries = entries
        self.starts = starts
        self.ends = ends
        self.cumulativeCost = cumulativeCost
    }

    /// Compares the members of one share of the blocks and returns the pairs at or above the threshold.
    ///
    /// The blocks are cut into `parts` consecutive shares of about equal work; the share is compared by
    /// `workers` threads at once, each taking a consecutive part of it.
    /// - Parameters:
    ///   - part: Which share, `0..<parts`.
    ///   - store: The candidates the blocks were built from.
    ///   - threshold: The least score of a pair that is returned.
    func compare(part: Int, of parts: Int, store: CandidateStore, threshold: Double, workers: Int) -> [PairHit] {
        let needed = PairEvidence.weight(forScore: threshold) - 1e-9
        let sink = PairSink()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let slice = part * workers + worker
            let range = blockRange(slice: slice, of: parts * workers)
            var hits: [PairHit] = []
            store.records.withUnsafeBufferPointer { records in
                store.names.withUnsafeBufferPointer { names in
                    for block in range {
                        compareBlock(block, records: records, names: names, needed: needed, threshold: threshold) {
                            hits.append($0)
                        }
                    }
                }
            }
            sink.append(hits)
        }
        return sink.hits
    }

    /// The blocks whose cumulative cost falls in the `slice`-th of `slices` equal parts of the total.
    private func blockRange(slice: Int, of slices: Int) -> Range<Int> {
        let total = cumulativeCost.last!
        func firstBlock(atCost cost: Int) -> Int {
            var low = 0
            var high = starts.count
            while low < high {
                let middle = (low + high) / 2
                if cumulativeCost[middle] < cost {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return low
        }
        let lower = slice == 0 ? 0 : firstBlock(atCost: total * slice / slices)
        let upper = slice == slices - 1 ? starts.count : firstBlock(atCost: total * (slice + 1) / slices)
        return lower..<max(lower, upper)
    }

    private func compareBlock(
        _ block: Int,
        records: UnsafeBufferPointer<CandidateRecord>,
        names: UnsafeBufferPointer<UInt32>,
        needed: Double,
        threshold: Double,
        hit: (PairHit) -> Void
    ) {
        let start = Int(starts[block])
        let end = Int(ends[block])
        let windowed = end - start > BlockingKey.blockLimit
        for p in start..<end {
            let upper = windowed ? min(end, p + BlockingKey.window) : end
            for q in p + 1..<upper {
                let i = entries[p].index
                let j = entries[q].index
                guard i != j && records[Int(i)].id != records[Int(j)].id,
                    let evidence = PairEvidence.weigh(records[Int(i)], records[Int(j)], names: names, needed: needed)
                else {
                    continue
                }
                let score = PairEvidence.score(weight: evidence.weight)
                if score >= threshold {
                    hit(PairHit(low: min(i, j), high: max(i, j), score: score, signals: evidence.signals))
                }
            }
        }
    }
}

/// Where the threads of one comparison put their pairs.
private final class PairSink: Sendable {
    private let collected = Mutex<[PairHit]>([])

    func append(_ hits: [PairHit]) {
        collected.withLock { $0.append(contentsOf: hits) }
    }

    var hits: [PairHit] {
        collected.withLock { $0 }
    }
}

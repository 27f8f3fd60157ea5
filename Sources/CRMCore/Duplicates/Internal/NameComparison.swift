/// Weighs two names: the same tokens in any order, nearly the same (typos), or a token that differs — the
/// last is what tells relatives and namesakes-in-part from duplicates.
///
/// The tokens of the shorter name are aligned with those of the longer so that the sum of their similarities
/// is largest (all assignments up to three tokens, greedily beyond); the alignment tells whether the order was
/// swapped and how alike the least alike pair is. How alike the names are as a whole is the larger Jaro-Winkler
/// similarity of the folded full names and of the names with their tokens in aligned order (which sees past
/// swapped first and last names even where a typo in the first letter would change a sorted order).
struct NameComparison {
    /// Tokens at least this alike are the same token, written with a typo.
    static let closeTokenSimilarity = 0.88
    /// Tokens less alike than this are different tokens.
    static let differentTokenSimilarity = 0.75
    /// An initial and a token it begins (`A` and `Anna`): possibly the same, not evidence of it.
    static let initialSimilarity = 0.8
    /// Two tokens of three letters or more that differ by two neighbouring letters swapped (`Kai` and `Kia`),
    /// which Jaro-Winkler scores low in short tokens.
    static let transposedSimilarity = 0.9
    /// Tokens of at most this many letters (initials, particles like `de`) are the same as a token they begin
    /// (an initial: ``initialSimilarity``), else different; Jaro-Winkler says little about two letters.
    static let shortTokenLength = 2
    /// The whole-name similarities that map to the ends of ``EvidenceWeight/closeName``.
    static let closeNameSimilarity = 0.85...0.97
    /// A single-token name this alike to a token of the other name is part of it.
    static let partialTokenSimilarity = 0.9

    let names: UnsafeBufferPointer<UInt32>

    func weigh(_ first: CandidateRecord, _ second: CandidateRecord) -> PairEvidence {
        // The alignment breaks ties by order, so weigh every pair one way round: the same in either argument order.
        let (a, b) = (first.id, first.nameSet) <= (second.id, second.nameSet) ? (first, second) : (second, first)
        guard a.tokenCount > 0 && b.tokenCount > 0 else {
            return PairEvidence(weight: 0, signals: [])
        }
        if a.nameSet == b.nameSet {
            let sameOrder = names[a.nameRange].elementsEqual(names[b.nameRange])
            return PairEvidence(weight: EvidenceWeight.sameName, signals: sameOrder ? .name : .swappedName)
        }
        let spansA = a.tokenSpans(in: names)
        let spansB = b.tokenSpans(in: names)
        let (short, long) = spansA.count <= spansB.count ? (spansA, spansB) : (spansB, spansA)
        let alignment = align(short, long)
        let most = alignment.similarities.max()!
        if short.count == 1 && long.count > 1 {
            if most >= Self.partialTokenSimilarity {
                return PairEvidence(weight: EvidenceWeight.partialName, signals: .name)
            }
            let weight = most < Self.differentTokenSimilarity ? EvidenceWeight.namesDiffer : 0
            return PairEvidence(weight: weight, signals: [])
        }
        var least = 1.0
        for (row, column) in alignment.columns.enumerated() where !isInitial(short[row], of: long[column]) {
            least = min(least, alignment.similarities[row])
        }
        if least < Self.differentTokenSimilarity {
            let weight =
                most < Self.differentTokenSimilarity ? EvidenceWeight.namesDiffer : EvidenceWeight.oneNameDiffers
            return PairEvidence(weight: weight, signals: [])
        }
        if least < Self.closeTokenSimilarity {
            return PairEvidence(weight: EvidenceWeight.uncertainName, signals: [])
        }
        // The longer name's extra tokens are left out here and cost ``EvidenceWeight/extraToken`` each instead.
        let aligned = joined(short, order: Array(short.indices))
        let counterpart = joined(long, order: alignment.columns)
        let whole = max(
            similarity(a.nameRange, b.nameRange),
            aligned.withUnsafeBufferPointer { x in
                counterpart.withUnsafeBufferPointer { y in JaroWinkler.similarity(x, y) }
            }
        )
        let range = Self.closeNameSimilarity
        let fraction = min(1, max(0, (whole - range.lowerBound) / (range.upperBound - range.lowerBound)))
        let weights = EvidenceWeight.closeName
        let extra = Double(long.count - short.count) * EvidenceWeight.extraToken
        return PairEvidence(
            weight: weights.lowerBound + fraction * (weights.upperBound - weights.lowerBound) + extra,
            signals: alignment.swapped ? .swappedName : .name
        )
    }

    /// The similarity of two tokens (or whole names) in the name storage.
    private func similarity(_ x: Range<Int>, _ y: Range<Int>) -> Double {
        if min(x.count, y.count) <= Self.shortTokenLength {
            let (shorter, longer) = x.count <= y.count ? (x, y) : (y, x)
            guard names[longer].starts(with: names[shorter]) else {
                return 0
            }
            return x.count == y.count ? 1 : Self.initialSimilarity
        }
        let jaroWinkler = JaroWinkler.similarity(
            UnsafeBufferPointer(rebasing: names[x]),
            UnsafeBufferPointer(rebasing: names[y])
        )
        if jaroWinkler < Self.transposedSimilarity && x.count == y.count && x.count >= 3 && isTransposition(x, y) {
            return Self.transposedSimilarity
        }
        return jaroWinkler
    }

    /// Whether one token is a short token (``shortTokenLength``) that begins the other, longer one: no evidence
    /// either way.
    private func isInitial(_ x: Range<Int>, of y: Range<Int>) -> Bool {
        let (shorter, longer) = x.count <= y.count ? (x, y) : (y, x)
        return shorter.count <= Self.shortTokenLength && shorter.count < longer.count
            && names[longer].starts(with: names[shorter])
    }

    /// Whether two tokens of equal length differ only by two neighbouring letters swapped.
    private func isTransposition(_ x: Range<Int>, _ y: Range<Int>) -> Bool {
        var offset = 0
        while offset < x.count && names[x.lowerBound + offset] == names[y.lowerBound + offset] {
            offset += 1
        }
        guard offset + 1 < x.count,
            names[x.lowerBound + offset] == names[y.lowerBound + offset + 1],
            names[x.lowerBound + offset + 1] == names[y.lowerBound + offset]
        else { return false }
        return names[x.lowerBound + offset + 2..<x.upperBound].elementsEqual(
            names[y.lowerBound + offset + 2..<y.upperBound]
        )
    }

    /// The tokens `order` names, in that order, separated by a space.
    private func joined(_ spans: [Range<Int>], order: [Int]) -> [UInt32] {
        var result: [UInt32] = []
        for (position, index) in order.enumerated() {
            if position > 0 {
                result.append(CandidateStore.separator)
            }
            result.append(contentsOf: names[spans[index]])
        }
        return result
    }

    /// Each token of `short` paired with its own token of `long` so that the similarities add up to the most;
    /// among equal sums the first in order (so the unswapped one).
    private func align(
        _ short: [Range<Int>],
        _ long: [Range<Int>]
    ) -> (similarities: [Double], columns: [Int], swapped: Bool) {
        var table = [Double](repeating: 0, count: short.count * long.count)
        for (row, x) in short.enumerated() {
            for (column, y) in long.enumerated() {
                table[row * long.count + column] = similarity(x, y)
            }
        }
        let assignment =
            short.count <= 3
            ? bestAssignment(table, rows: short.count, columns: long.count)
            : greedyAssignment(table, rows: short.count, columns: long.count)
        let similarities = assignment.enumerated().map { table[$0.offset * long.count + $0.element] }
        let swapped = zip(assignment, assignment.dropFirst()).contains { $0 > $1 }
        return (similarities, assignment, swapped)
    }

    private func bestAssignment(_ table: [Double], rows: Int, columns: Int) -> [Int] {
        var best: [Int] = []
        var bestSum = -Double.infinity
        var current: [Int] = []
        func extend(_ row: Int, _ used: UInt16, _ sum: Double) {
            if row == rows {
                if sum > bestSum {
                    bestSum = sum
                    best = current
                }
                return
            }
            for column in 0..<columns where used & 1 << column == 0 {
                current.append(column)
                extend(row + 1, used | 1 << column, sum + table[row * columns + column])
                current.removeLast()
            }
        }
        extend(0, 0, 0)
        return best
    }

    private func greedyAssignment(_ table: [Double], rows: Int, columns: Int) -> [Int] {
        var assignment = [Int](repeating: -1, count: rows)
        var usedColumns = Set<Int>()
        for _ in 0..<rows {
            var pick = (row: -1, column: -1, similarity: -Double.infinity)
            for row in 0..<rows where assignment[row] < 0 {
                for column in 0..<columns where !usedColumns.contains(column) {
                    if table[row * columns + column] > pick.similarity {
                        pick = (row, column, table[row * columns + column])
                    }
                }
            }
            assignment[pick.row] = pick.column
            usedColumns.insert(pick.column)
        }
        return assignment
    }
}

/// Joins matching pairs into groups: union-find over the pairs, strongest first (Kruskal's algorithm for a
/// maximum spanning forest). A pair whose candidates are already in one group adds nothing; the pairs that joined
/// two groups are the group's ``DuplicateGroup/pairs``, and the weakest of them its score.
///
/// Because the pairs are taken strongest first, the groups at any higher threshold are the groups of the same
/// spanning pairs at or above it.
enum SpanningForest {
    static func groups(of hits: [PairHit], records: [CandidateRecord]) -> [DuplicateGroup] {
        var hits = hits
        hits.sort { ($0.low, $0.high) < ($1.low, $1.high) }
        var unique: [PairHit] = []
        unique.reserveCapacity(hits.count)
        for hit in hits where unique.last.map({ ($0.low, $0.high) != (hit.low, hit.high) }) ?? true {
            unique.append(hit)
        }
        let pairs = unique.map { hit in
            let (a, b) = (records[Int(hit.low)].id, records[Int(hit.high)].id)
            return (hit: hit, pair: DuplicatePair(first: min(a, b), second: max(a, b), score: hit.score, signals: []))
        }.sorted { x, y in
            (-x.pair.score, x.pair.first, x.pair.second) < (-y.pair.score, y.pair.first, y.pair.second)
        }

        var sets = DisjointSets()
        var joining: [(hit: PairHit, pair: DuplicatePair)] = []
        for entry in pairs where sets.union(entry.hit.low, entry.hit.high) {
            joining.append(entry)
        }
        var byRoot: [UInt32: [(hit: PairHit, pair: DuplicatePair)]] = [:]
        for entry in joining {
            byRoot[sets.find(entry.hit.low), default: []].append(entry)
        }
        let groups = byRoot.values.map { entries in
            var members = Set<Int64>()
            var signals = SignalSet()
            var score = 1.0
            var groupPairs: [DuplicatePair] = []
            for (hit, pair) in entries {
                members.insert(pair.first)
                members.insert(pair.second)
                signals.formUnion(hit.signals)
                score = min(score, hit.score)
                var pair = pair
                pair.signals = hit.signals.signals
                groupPairs.append(pair)
            }
            return DuplicateGroup(
                members: members.sorted(),
                score: score,
                signals: signals.signals,
                pairs: groupPairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
            )
        }
        return groups.sorted { $0.score != $1.score ? $0.score > $1.score : $0.members[0] < $1.members[0] }
    }
}

/// Union-find over candidate indices, with path halving and union by size; only the indices that take part
/// in a pair get an entry.
struct DisjointSets {
    private var parent: [UInt32: UInt32] = [:]
    private var size: [UInt32: Int] = [:]

    mutating func find(_ element: UInt32) -> UInt32 {
        var element = element
        while let up = parent[element], up != element {
            let grandparent = parent[up] ?? up
            parent[element] = grandparent
            element = grandparent
        }
        return element
    }

    /// Joins the sets of `a` and `b`; false when they were one set already.
    mutating func union(_ a: UInt32, _ b: UInt32) -> Bool {
        let rootA = find(a)
        let rootB = find(b)
        if rootA == rootB {
            return false
        }
        let sizeA = size[rootA] ?? 1
        let sizeB = size[rootB] ?? 1
        let (small, large) = sizeA < sizeB ? (rootA, rootB) : (rootB, rootA)
        parent[small] = large
        parent[large] = parent[large] ?? large
        size[large] = sizeA + sizeB
        return true
    }
}

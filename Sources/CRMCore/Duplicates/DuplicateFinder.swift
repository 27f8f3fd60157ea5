import Foundation

/// Finds customers entered more than once: streams candidates in, and groups the ones that look like one person.
///
/// The search is record linkage in three steps, as in dedupe, Splink or Odoo's merge tool:
/// - **Blocking.** Each candidate gets a few keys (its email key, phone, name in various forms with its place);
///   only candidates that share a key are compared. Very large blocks are compared within a sliding window, so
///   the work grows about linearly with the registry.
/// - **Scoring.** A pair is weighed field by field (``compare(_:_:)``): a shared email or phone speaks strongly
///   for a match, a similar name moderately, a shared address or company a little; different emails, and above
///   all different first names, speak against it. The sum becomes a score between 0 and 1.
/// - **Clustering.** Pairs at or above the threshold are joined strongest first into groups; a group's score
///   is its weakest link.
///
/// Only a compact normalised form of each candidate is kept (about 80 bytes and four bytes per letter of the
/// name). ``groups(progress:)`` compares blocks on all processor cores; the result depends only on the
/// candidates, in the order they were added, and the threshold.
public struct DuplicateFinder: Sendable {
    /// The score from which a pair counts as one person: 0.7.
    ///
    /// Chosen from `crmbench duplicates --threshold-curve` on a synthetic registry of 100,000 customers with
    /// known duplicates, relatives and namesakes: the curve is flat from 0.6 to 0.8 (precision and recall 0.998
    /// at 0.7); docs/duplicates.md has the table.
    public static let defaultThreshold = 0.7

    /// The least score of a pair that joins a group, 0...1.
    public var threshold: Double

    private var store = CandidateStore()

    /// A finder without candidates.
    /// - Parameter threshold: The least score of a pair that joins a group.
    public init(threshold: Double = DuplicateFinder.defaultThreshold) {
        self.threshold = threshold
    }

    /// How many candidates were added.
    public var count: Int { store.count }

    /// Adds a candidate. Its fields are normalised and hashed at once; the strings are not kept.
    public mutating func add(_ candidate: DuplicateCandidate) {
        store.append(candidate)
    }

    /// The groups of candidates that are one person.
    /// - Parameter progress: Called on the calling thread with the fraction done, 0...1, a few dozen times.
    /// - Returns: The groups, by score descending, then by their first member.
    public func groups(progress: (Double) -> Void = { _ in }) -> [DuplicateGroup] {
        let parts = 8
        let kinds = BlockingKey.allCases
        let steps = Double(kinds.count * parts + 1)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let nameOrder = store.nameOrderKeys()
        var hits: [PairHit] = []
        for (kindIndex, kind) in kinds.enumerated() {
            let blocks = Blocks(kind: kind, store: store, nameOrder: nameOrder)
            for part in 0..<parts {
                hits += blocks.compare(part: part, of: parts, store: store, threshold: threshold, workers: workers)
                progress(Double(kindIndex * parts + part + 1) / steps)
            }
        }
        let groups = SpanningForest.groups(of: hits, records: store.records)
        progress(1)
        return groups
    }

    /// The score and signals of one pair, for explaining a group and for tests.
    ///
    /// The score is `1 / (1 + 2^(4 - w))` for the weight `w`, the sum of these terms (absent fields count 0):
    ///
    /// | field | agrees | disagrees |
    /// |---|---|---|
    /// | email key | +8 (`email`, or `email_variant` when written differently) | −3, or +2 (`email_variant`) for the same distinctive local part |
    /// | phone | +5 | −1.5 |
    /// | name | +4 for the same tokens (`name`, `swapped_name` in another order); +1.5…+3.5 for typos by Jaro-Winkler similarity; +1 for a single token the other name contains | −10 when one token matches nothing in the other name, −12 when none matches; 0 in between |
    /// | address | +2.5 for street and postal code or city (`address`); +1 for the postal code alone, +0.5 for the city alone when a street is missing | −1 for another city or postal code; −2 for another country |
    /// | company | +1 (`company`) | −0.5 |
    ///
    /// So an email and a similar name make a match, a phone and a matching name do even against different
    /// emails, while relatives (a family name, address and landline, other first names) and namesakes (the full
    /// name in another city) stay far below any useful threshold.
    public static func compare(
        _ a: DuplicateCandidate,
        _ b: DuplicateCandidate
    ) -> (score: Double, signals: [DuplicateSignal]) {
        var store = CandidateStore()
        store.append(a)
        store.append(b)
        let evidence = store.names.withUnsafeBufferPointer { names in
            PairEvidence.weigh(store.records[0], store.records[1], names: names)!
        }
        return (PairEvidence.score(weight: evidence.weight), evidence.signals.signals)
    }
}

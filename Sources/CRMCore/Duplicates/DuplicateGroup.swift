/// Customers that are one person entered several times, as found by ``DuplicateFinder``.
///
/// The members are linked by a spanning tree of pairs, each at or above the finder's threshold; members need
/// not all match each other directly (A matches B by email, B matches C by phone).
public struct DuplicateGroup: Sendable, Hashable {
    /// The ids of the customers, ascending.
    public var members: [Int64]
    /// The lowest score of the pairs that joined the group: the weakest link, 0...1.
    public var score: Double
    /// The union of the signals of ``pairs``, in `CaseIterable` order.
    public var signals: [DuplicateSignal]
    /// The pairs that joined the group (one fewer than the members), sorted by `(first, second)`.
    ///
    /// They are the strongest links: the group's members are joined by the pairs of highest score first, so
    /// no other spanning tree of matching pairs has a stronger weakest link.
    public var pairs: [DuplicatePair]

    public init(members: [Int64], score: Double, signals: [DuplicateSignal], pairs: [DuplicatePair]) {
        self.members = members
        self.score = score
        self.signals = signals
        self.pairs = pairs
    }
}

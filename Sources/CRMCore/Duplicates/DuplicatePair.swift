/// Two customers that look like the same person.
public struct DuplicatePair: Sendable, Hashable {
    /// The smaller of the two ids.
    public var first: Int64
    /// The larger of the two ids.
    public var second: Int64
    /// How sure the match is, 0...1 (see ``DuplicateFinder/compare(_:_:)``).
    public var score: Double
    /// The evidence, in `CaseIterable` order.
    public var signals: [DuplicateSignal]

    public init(first: Int64, second: Int64, score: Double, signals: [DuplicateSignal]) {
        self.first = first
        self.second = second
        self.score = score
        self.signals = signals
    }
}

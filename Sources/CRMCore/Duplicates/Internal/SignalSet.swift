/// A set of ``DuplicateSignal``s in one byte, one bit per case in `CaseIterable` order.
struct SignalSet: OptionSet, Sendable, Hashable {
    var rawValue: UInt8

    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    init(_ signal: DuplicateSignal) {
        rawValue = 1 << UInt8(DuplicateSignal.allCases.firstIndex(of: signal)!)
    }

    /// The signals in `CaseIterable` order.
    var signals: [DuplicateSignal] {
        DuplicateSignal.allCases.enumerated().filter { rawValue & 1 << UInt8($0.offset) != 0 }.map(\.element)
    }

    static let email = SignalSet(.email)
    static let emailVariant = SignalSet(.emailVariant)
    static let phone = SignalSet(.phone)
    static let name = SignalSet(.name)
    static let swappedName = SignalSet(.swappedName)
    static let address = SignalSet(.address)
    static let company = SignalSet(.company)
}

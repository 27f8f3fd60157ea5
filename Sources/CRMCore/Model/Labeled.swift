/// An enumeration with lower-case labels for filters and CSV files.
public protocol Labeled: CaseIterable, RawRepresentable, Sendable where RawValue == Int {
    /// The lower-case name; empty for the unspecified case.
    var label: String { get }
}

extension Labeled {
    /// The case whose label is `label` (case-insensitive).
    public init?(label: String) {
        let wanted = label.lowercased()
        guard let match = Self.allCases.first(where: { !$0.label.isEmpty && $0.label == wanted }) else { return nil }
        self = match
    }

    /// Labels of every case but the unspecified one, to list in error messages.
    public static var labels: [String] { allCases.map(\.label).filter { !$0.isEmpty } }
}

extension LifecycleStage: Labeled {}
extension OrderStatus: Labeled {}
extension InteractionKind: Labeled {}
extension Direction: Labeled {}

import ArgumentParser

/// The kinds of records that can be imported and exported.
enum RecordKind: String, ExpressibleByArgument, CaseIterable, Sendable {
    case customers
    case orders
    case payments
    case interactions
}

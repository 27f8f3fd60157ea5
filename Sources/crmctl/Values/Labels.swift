import CRMProto

/// An API enum written as a short lower-case label on the command line and in CSV files
/// (`lead`, `completed`, `inbound`).
protocol LabeledEnum: Equatable, Sendable {
    /// Every value but `UNSPECIFIED`, with its label.
    static var labeled: [(label: String, value: Self)] { get }
    /// The value for an empty label.
    static var unspecifiedValue: Self { get }
}

extension LabeledEnum {
    /// The label; empty for the unspecified value or one this crmctl does not know.
    var label: String {
        Self.labeled.first { $0.value == self }?.label ?? ""
    }

    /// The labels joined for error messages and help: `lead|prospect|customer|churned`.
    static var labelList: String {
        labeled.map(\.label).joined(separator: "|")
    }

    /// Reads a label, ignoring case and surrounding spaces; empty text is the unspecified value.
    static func parse(label text: String) throws(ValueError) -> Self {
        let wanted = text.trimmingSpaces.lowercased()
        if wanted.isEmpty { return unspecifiedValue }
        if let match = labeled.first(where: { $0.label == wanted }) {
            return match.value
        }
        throw ValueError("unknown value \(text.trimmingSpaces.quotedForError), expected one of \(labelList)")
    }
}

extension Crm_V1_LifecycleStage: LabeledEnum {
    static let labeled: [(label: String, value: Crm_V1_LifecycleStage)] = [
        ("lead", .lead), ("prospect", .prospect), ("customer", .customer), ("churned", .churned),
    ]
    static var unspecifiedValue: Crm_V1_LifecycleStage { .unspecified }
}

extension Crm_V1_OrderStatus: LabeledEnum {
    static let labeled: [(label: String, value: Crm_V1_OrderStatus)] = [
        ("pending", .pending), ("confirmed", .confirmed), ("shipped", .shipped),
        ("completed", .completed), ("cancelled", .cancelled), ("refunded", .refunded),
    ]
    static var unspecifiedValue: Crm_V1_OrderStatus { .unspecified }
}

extension Crm_V1_InteractionKind: LabeledEnum {
    static let labeled: [(label: String, value: Crm_V1_InteractionKind)] = [
        ("visit", .visit), ("call", .call), ("email", .email), ("meeting", .meeting), ("note", .note),
    ]
    static var unspecifiedValue: Crm_V1_InteractionKind { .unspecified }
}

extension Crm_V1_Direction: LabeledEnum {
    static let labeled: [(label: String, value: Crm_V1_Direction)] = [
        ("inbound", .inbound), ("outbound", .outbound), ("internal", .internal),
    ]
    static var unspecifiedValue: Crm_V1_Direction { .unspecified }
}

/// A comparison operator of the filter language (AIP-160).
public enum FilterOperator: String, Sendable, Hashable, CaseIterable {
    case equals = "="
    case notEquals = "!="
    case lessThan = "<"
    case lessThanOrEquals = "<="
    case greaterThan = ">"
    case greaterThanOrEquals = ">="
    /// `:`, AIP-160's "has": containment for text, tags and attributes, presence with `*`.
    case has = ":"
}

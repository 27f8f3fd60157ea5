/// One restriction of a filter, `field op value`, checked against a ``FilterSchema``.
public struct FilterComparison: Sendable, Hashable {
    /// The schema name of the field, e.g. `display_name` or `attributes`.
    public var field: String
    /// For a field of kind ``FilterField/Kind/attributes``, the key compared: `tier` in
    /// `attributes.tier = gold` and in `attributes:tier`. Nil for every other field.
    public var attributeKey: String?
    public var op: FilterOperator
    public var value: FilterValue

    public init(field: String, attributeKey: String? = nil, op: FilterOperator, value: FilterValue) {
        self.field = field
        self.attributeKey = attributeKey
        self.op = op
        self.value = value
    }

    /// The field as the client wrote it: `attributes.tier` for an attribute, else the field name.
    public var path: String {
        attributeKey.map { "\(field).\($0)" } ?? field
    }
}

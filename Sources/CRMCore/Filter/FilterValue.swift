/// The right-hand side of a ``FilterComparison``, already converted to the type of its field.
public enum FilterValue: Sendable, Hashable {
    /// Text, a tag or an attribute key, as written (escapes resolved).
    case text(String)
    /// `"Jo*"`: text starting with the associated value (case-sensitive).
    case prefix(String)
    case integer(Int64)
    case boolean(Bool)
    /// Microseconds since 1970-01-01T00:00:00Z.
    case timestamp(Int64)
    /// An enumeration label, spelled as the schema spells it, and its stored value.
    case enumeration(label: String, value: Int)
    /// The id in a resource name such as `customers/12`.
    case resource(id: Int64)
    /// The bare word `null`, for timestamps: `delete_time = null`.
    case null
    /// The `*` of `field:*`: the field is set.
    case present
}

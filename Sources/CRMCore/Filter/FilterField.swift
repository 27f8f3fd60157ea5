/// One field a filter or `order_by` may name, and the kind of its values.
///
/// A ``FilterSchema`` lists the fields of one resource (``FilterSchema/customers`` and its kin). The
/// names are what clients write; where a store keeps each field is the store's business (SQLite maps
/// each name to a column expression that only the server writes, so nothing a client sends ever
/// becomes SQL text).
public struct FilterField: Sendable, Hashable {
    /// How a field's values are written in a filter, and what a store keeps for it.
    public enum Kind: Sendable, Hashable {
        /// A `TEXT NOT NULL` column; the empty string when unset.
        case text
        /// An `INTEGER` column.
        case integer
        /// An `INTEGER` column holding 0 or 1; written `true` or `false`.
        case boolean
        /// An `INTEGER` column holding microseconds since 1970-01-01T00:00:00Z; `NULL` when unset.
        case timestamp
        /// An `INTEGER` column; the keys are the labels clients write, the values what is stored.
        case enumeration([String: Int])
        /// An `INTEGER` id column; clients write the resource name, e.g. `customers/12`.
        case resource(collection: String)
        /// A `TEXT` column holding a JSON array of strings.
        case tags
        /// A `TEXT` column holding a JSON object whose values are strings.
        case attributes
    }

    /// The name clients write, e.g. `display_name`, `address.city`, `tags` or `attributes`.
    public var name: String
    public var kind: Kind
    /// Whether the field may appear in `order_by`.
    public var orderable: Bool

    /// - Parameters:
    ///   - name: the name clients write.
    ///   - kind: how values are written and stored.
    ///   - orderable: whether the field may appear in `order_by`.
    public init(_ name: String, _ kind: Kind, orderable: Bool = true) {
        self.name = name
        self.kind = kind
        self.orderable = orderable
    }
}

extension FilterField.Kind {
    /// The kind as a person reads it in an error message: "a text field", "a timestamp".
    package var readableDescription: String {
        switch self {
        case .text: "a text field"
        case .integer: "an integer field"
        case .boolean: "a boolean field"
        case .timestamp: "a timestamp"
        case .enumeration: "an enumeration"
        case .resource(let collection): "a reference to \(collection)"
        case .tags: "a list of tags"
        case .attributes: "a map of attributes"
        }
    }
}

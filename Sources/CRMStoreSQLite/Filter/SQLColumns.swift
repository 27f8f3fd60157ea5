public import CRMCore

/// A resource's filterable fields (``FilterSchema``, from CRMCore) and the SQL expression that holds
/// each one in this store: what filters and `order_by` compile against.
public struct SQLColumns: Sendable {
    /// The fields clients may name.
    public let fields: FilterSchema
    private let columns: [String: String]
    private let sortColumns: [String: String]
    /// Paths (`address.street`, `attributes.income`) whose values are sealed at rest: a filter naming
    /// one is refused instead of silently matching nothing.
    public private(set) var sealedPaths: Set<String> = []

    /// - Parameters:
    ///   - fields: the fields clients may name.
    ///   - columns: for every field, the SQL expression that holds it, e.g. `c.display_name`. Written by
    ///     the server, never by a client.
    ///   - sorting: for fields that may be NULL, the expression `order_by` and page tokens use instead,
    ///     never NULL (keyset pages compare with `=`, which NULL never is).
    public init(_ fields: FilterSchema, _ columns: [String: String], sorting: [String: String] = [:]) {
        for field in fields.fields {
            precondition(columns[field.name] != nil, "filter field \(field.name) has no column")
        }
        self.fields = fields
        self.columns = columns
        self.sortColumns = sorting
    }

    /// These columns with `paths` sealed (``sealedPaths``).
    public func sealing(_ paths: Set<String>) -> SQLColumns {
        var sealed = self
        sealed.sealedPaths = paths
        return sealed
    }

    /// The SQL expression `order_by` sorts `field` by.
    public func sortColumn(_ field: String) -> String {
        sortColumns[field] ?? column(field)
    }

    /// The SQL expression holding `field`, a field of ``fields``.
    public func column(_ field: String) -> String {
        guard let column = columns[field] else { preconditionFailure("\(field) is not a field of this schema") }
        return column
    }

    /// `order` as an SQL `ORDER BY` list (without the keywords), e.g. `c.display_name DESC, c.create_time ASC`;
    /// empty when it has no keys.
    public func orderList(_ order: OrderBy) -> String {
        order.keys.map { "\(sortColumn($0.field)) \($0.descending ? "DESC" : "ASC")" }.joined(separator: ", ")
    }
}

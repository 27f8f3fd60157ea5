/// The fields of one resource that filters and `order_by` may name.
///
/// CRMCore declares one schema per collection (``customers``, ``orders``, ``payments``,
/// ``interactions``), the same for every store; the filter language never reaches a field that is not
/// listed here.
public struct FilterSchema: Sendable {
    /// The fields, in the order they were declared (the order error messages list them in).
    public let fields: [FilterField]
    private let fieldsByName: [String: FilterField]

    /// - Parameter fields: the fields; names must be unique.
    public init(_ fields: [FilterField]) {
        var byName: [String: FilterField] = [:]
        for field in fields {
            precondition(byName[field.name] == nil, "filter field \(field.name) is declared twice")
            byName[field.name] = field
        }
        self.fields = fields
        self.fieldsByName = byName
    }

    /// The field called `name`, if there is one.
    public subscript(name: String) -> FilterField? {
        fieldsByName[name]
    }

    /// The field and attribute key a client's `name` refers to: a field of the schema, or
    /// `<attributes field>.<key>` for a field of kind ``FilterField/Kind/attributes``.
    func resolve(_ name: String) -> (field: FilterField, key: String?)? {
        if let field = fieldsByName[name] {
            return (field, nil)
        }
        for field in fields where field.kind == .attributes && name.hasPrefix(field.name + ".") {
            return (field, String(name.dropFirst(field.name.count + 1)))
        }
        return nil
    }
}

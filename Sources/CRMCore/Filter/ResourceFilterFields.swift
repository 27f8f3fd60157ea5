/// The fields each resource's filter and `order_by` may name (docs/filtering.md): the same for every
/// store. A store maps each name to where it keeps the field.
extension FilterSchema {
    /// Customers (`ListCustomers`, `ExportCustomers`).
    public static let customers = FilterSchema([
        FilterField("name", .resource(collection: "customers")),
        FilterField("id", .integer),
        FilterField("display_name", .text),
        FilterField("email", .text),
        FilterField("phone", .text),
        FilterField("company", .text),
        FilterField("address.street", .text, orderable: false),
        FilterField("address.city", .text),
        FilterField("address.region", .text),
        FilterField("address.postal_code", .text),
        FilterField("address.country", .text),
        FilterField("tags", .tags, orderable: false),
        FilterField("attributes", .attributes, orderable: false),
        FilterField("external_id", .text),
        FilterField("lifecycle_stage", .enumeration(labels(LifecycleStage.self))),
        FilterField("customer_since", .timestamp),
        FilterField("create_time", .timestamp),
        FilterField("update_time", .timestamp),
        FilterField("delete_time", .timestamp, orderable: false),
        // Derived from the customer's purchases (orders not cancelled or refunded).
        FilterField("order_count", .integer),
        FilterField("last_order_time", .timestamp),
        FilterField("total_spend_minor", .integer),
    ])

    /// Orders (`ListOrders`).
    public static let orders = FilterSchema([
        FilterField("name", .resource(collection: "orders")),
        FilterField("customer", .resource(collection: "customers")),
        FilterField("customer_external_id", .text),
        FilterField("external_id", .text),
        FilterField("status", .enumeration(labels(OrderStatus.self))),
        FilterField("currency_code", .text),
        FilterField("total_minor", .integer),
        FilterField("paid_minor", .integer),
        FilterField("order_time", .timestamp),
        FilterField("create_time", .timestamp),
        FilterField("update_time", .timestamp),
    ])

    /// Payments (`ListPayments`).
    public static let payments = FilterSchema([
        FilterField("name", .resource(collection: "payments")),
        FilterField("order", .resource(collection: "orders")),
        FilterField("order_external_id", .text),
        FilterField("customer", .resource(collection: "customers")),
        FilterField("external_id", .text),
        FilterField("amount_minor", .integer),
        FilterField("currency_code", .text),
        FilterField("paid_time", .timestamp),
        FilterField("method", .text),
        FilterField("create_time", .timestamp),
        FilterField("update_time", .timestamp),
    ])

    /// Interactions (`ListInteractions`).
    public static let interactions = FilterSchema([
        FilterField("name", .resource(collection: "interactions")),
        FilterField("customer", .resource(collection: "customers")),
        FilterField("customer_external_id", .text),
        FilterField("external_id", .text),
        FilterField("kind", .enumeration(labels(InteractionKind.self))),
        FilterField("direction", .enumeration(labels(Direction.self))),
        FilterField("occur_time", .timestamp),
        FilterField("subject", .text),
        FilterField("outcome", .text),
        FilterField("topic", .text),
        FilterField("duration_seconds", .integer),
        FilterField("create_time", .timestamp),
        FilterField("update_time", .timestamp),
    ])

    /// The labels clients write for an enumeration, and the values stored for them.
    private static func labels<E: Labeled>(_: E.Type) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: E.allCases.filter { !$0.label.isEmpty }.map { ($0.label, $0.rawValue) })
    }
}

/// How an order, payment or interaction names the record it belongs to: by that record's row id (taken from
/// its resource name), or by its external id when the client only knows the key from its own system.
enum ParentReference {
    /// The longest external id of any record.
    static let maxExternalIDLength = 128

    /// Checks that the parent is named one way or the other and returns the normalised external id.
    ///
    /// - Parameters:
    ///   - id: the parent's row id; 0 when not given.
    ///   - externalID: the parent's external id; empty when not given.
    ///   - parent: the name of the reference field, `customer` or `order`; the external id is `<parent>_external_id`.
    ///   - prefix: the path of the child record in the request.
    ///   - collector: receives the violations.
    /// - Returns: the trimmed external id, or `externalID` unchanged when it is not acceptable.
    static func validate(
        id: Int64,
        externalID: String,
        parent: String,
        prefix: String,
        collector: inout ViolationCollector
    ) throws -> String {
        let externalIDField = FieldPath.member(prefix, "\(parent)_external_id")
        let normalized = try collector.check {
            try Identifier.normalized(externalID, field: externalIDField, maxLength: maxExternalIDLength)
        }
        if id <= 0 && (normalized ?? externalID).isEmpty {
            collector.add(FieldPath.member(prefix, parent), "\(parent) or \(parent)_external_id is required")
        }
        return normalized ?? externalID
    }
}

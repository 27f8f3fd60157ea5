/// Builds and parses resource names such as `customers/42` (AIP-122).
public enum ResourceName {
    public static func customer(_ id: Int64) -> String { "customers/\(id)" }
    public static func order(_ id: Int64) -> String { "orders/\(id)" }
    public static func payment(_ id: Int64) -> String { "payments/\(id)" }
    public static func interaction(_ id: Int64) -> String { "interactions/\(id)" }

    /// The id in `name`, which must be `collection/{positive integer}` written as the server
    /// writes it: decimal digits without a sign or leading zeros, so that one resource has one
    /// name (`customers/+1` and `customers/01` are not `customers/1`).
    /// - Parameters:
    ///   - name: the resource name sent by a client.
    ///   - collection: `customers`, `orders`, `payments` or `interactions`.
    ///   - field: the request field, named in the error.
    public static func parseID(_ name: String, collection: String, field: String) throws -> Int64 {
        let prefix = collection + "/"
        let digits = name.utf8.dropFirst(prefix.utf8.count)
        guard name.hasPrefix(prefix), digits.first != UInt8(ascii: "0"),
            digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let id = Int64(name.dropFirst(prefix.count)), id > 0
        else {
            if name.isEmpty {
                throw CRMError.invalid(field, "is required")
            }
            throw CRMError.invalid(
                field,
                "must be a resource name of the form \(collection)/{id}, got \"\(name.prefix(80))\""
            )
        }
        return id
    }
}

/// Etags are the version counter in AIP-154's quoted form.
public enum Etag {
    public static func make(_ version: Int64) -> String { "\"\(version)\"" }

    /// The version an etag stands for, or nil when it is not one of ours.
    public static func version(_ etag: String) -> Int64? {
        var text = Substring(etag)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        return Int64(text)
    }
}

/// Builds the paths that name a field in a request, as `google.rpc.BadRequest` expects them:
/// `customer.address.country`, `customers[3].tags[2]`, `customer.attributes["tier"]`.
enum FieldPath {
    /// `parent.child`, or just `child` when there is no parent.
    static func member(_ parent: String, _ child: String) -> String {
        parent.isEmpty ? child : "\(parent).\(child)"
    }

    /// `parent[index]`.
    static func element(_ parent: String, _ index: Int) -> String {
        "\(parent)[\(index)]"
    }

    /// `parent["key"]`, with quotes and backslashes in the key escaped so that the path stays readable.
    static func entry(_ parent: String, _ key: String) -> String {
        let escaped = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\(parent)[\"\(escaped)\"]"
    }
}

import CRMServer
import Yams

extension ConfigurationFile {
    /// The `access` section (docs/access.md): for each of `admin`, `writer` and `reader`, the `users` and
    /// `groups` (names) that hold it, e.g. `writer: { groups: [crm] }`.
    static func parseAccess(_ entries: Node.Mapping, path: String) throws -> AccessMapping {
        var mapping = AccessMapping()
        for (entryKey, entryValue) in entries {
            let role = entryKey.string ?? ""
            let fullKey = "access.\(role)"
            guard ["admin", "writer", "reader"].contains(role) else {
                throw ConfigurationError(
                    path: path,
                    key: fullKey,
                    problem: "unknown role (known: admin, writer, reader)"
                )
            }
            var members = AccessMapping.Members()
            if case .scalar(let scalar) = entryValue, scalar.string.isEmpty || scalar.string == "~" {
                // An empty role: nobody holds it.
            } else {
                guard let fields = entryValue.mapping else {
                    throw ConfigurationError(
                        path: path,
                        key: fullKey,
                        problem: "must be a mapping with users and groups"
                    )
                }
                for (fieldKey, fieldValue) in fields {
                    let field = fieldKey.string ?? ""
                    let names = try nameList(fieldValue, key: "\(fullKey).\(field)", path: path)
                    switch field {
                    case "users": members.users = names
                    case "groups": members.groups = names
                    default:
                        throw ConfigurationError(
                            path: path,
                            key: "\(fullKey).\(field)",
                            problem: "unknown key (known: users, groups)"
                        )
                    }
                }
            }
            switch role {
            case "admin": mapping.admin = members
            case "writer": mapping.writer = members
            default: mapping.reader = members
            }
        }
        return mapping
    }

    /// A YAML list of user or group names (`[crm, crm-admin]`).
    private static func nameList(_ node: Node, key: String, path: String) throws -> [String] {
        guard let sequence = node.sequence else {
            throw ConfigurationError(path: path, key: key, problem: "must be a list of names, e.g. [crm]")
        }
        return try sequence.map { item in
            guard case .scalar(let scalar) = item, !scalar.string.isEmpty,
                scalar.string.allSatisfy({ $0.isLetter || $0.isNumber || "._-$".contains($0) })
            else {
                throw ConfigurationError(
                    path: path,
                    key: key,
                    problem: "holds something that is not a user or group name"
                )
            }
            return scalar.string
        }
    }
}

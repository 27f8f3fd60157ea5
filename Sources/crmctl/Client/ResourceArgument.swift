/// Resource names as typed on the command line: `customers/12` or just `12`.
enum ResourceArgument {
    /// The full resource name.
    /// - Parameters:
    ///   - text: `customers/12`, `12`, or the name of the wrong collection (an error).
    ///   - collection: `customers`, `orders`, `payments` or `interactions`.
    static func name(_ text: String, collection: String) throws(ValueError) -> String {
        let trimmed = text.trimmingSpaces
        let expected = ValueError("expected \(collection)/{id} or an id, got \(trimmed.quotedForError)")
        let id: Substring
        if trimmed.hasPrefix(collection + "/") {
            id = trimmed.dropFirst(collection.count + 1)
        } else if trimmed.contains("/") {
            throw expected
        } else {
            id = Substring(trimmed)
        }
        guard let number = Int64(id), number > 0 else { throw expected }
        return "\(collection)/\(number)"
    }

    /// The numeric id at the end of a resource name, for sorting; nil when there is none.
    static func number(of name: String) -> Int64? {
        guard let slash = name.lastIndex(of: "/") else { return Int64(name) }
        return Int64(name[name.index(after: slash)...])
    }

    /// Sorts records by the numeric id of their names, names without one last.
    static func sortedByID<R>(_ records: [R], name: (R) -> String) -> [R] {
        records.map { (number(of: name($0)) ?? .max, name($0), $0) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map(\.2)
    }
}

/// A row of an import file that cannot be sent, or a header that cannot be used.
struct RowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based line where the record starts.
    var line: Int
    /// The column at fault, when one is.
    var column: String?
    var reason: String

    init(line: Int, column: String? = nil, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 12: quantity: not a whole number: "2.5"`.
    var description: String {
        if let column { return "line \(line): \(column): \(reason)" }
        return "line \(line): \(reason)"
    }
}

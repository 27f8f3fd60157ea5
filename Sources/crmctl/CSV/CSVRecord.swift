/// One record of a CSV file and the 1-based line on which it starts.
struct CSVRecord: Equatable, Sendable {
    var fields: [String]
    var line: Int
}

/// A CSV file that breaks RFC 4180 in a way that makes the rest unreadable.
struct CSVSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    var line: Int
    var reason: String

    var description: String { "line \(line): \(reason)" }
}

import ArgumentParser

/// How results are written to standard output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Aligned columns for people.
    case table
    /// The protobuf JSON mapping (proto field names), one object per command.
    case json
    /// RFC 4180 CSV with the columns of `export`.
    case csv
    /// A table with more columns (lists: external ids of references, times, etags); elsewhere a table.
    case wide

    /// `table` when standard output is a terminal, `json` when it is a pipe or a file.
    static func standard(stdoutIsTerminal: Bool) -> OutputFormat {
        stdoutIsTerminal ? .table : .json
    }
}

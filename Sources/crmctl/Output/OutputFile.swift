import Foundation

/// Files crmctl writes: exports, demo data, datasets, reports.
enum OutputFile {
    /// Writes `text` to `path`, replacing the file whole (never half-written).
    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandError(.failure, "\(path): cannot write the file (\(error.localizedDescription))", cause: error)
        }
    }
}

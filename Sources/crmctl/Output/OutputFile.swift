import Foundation

/// Files crmctl writes: exports, demo data, datasets, reports.
enum OutputFile {
    /// Writes `text` to `path`, replacing the file whole (never half-written).
    /// - Parameter mode: the new file's permissions when it holds personal data (0600); the umask's
    ///   default when nil.
    static func write(_ text: String, to path: String, mode: Int? = nil) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            if let mode {
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            }
        } catch {
            throw CommandError(.failure, "\(path): cannot write the file (\(error.localizedDescription))", cause: error)
        }
    }
}

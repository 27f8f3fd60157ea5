import Foundation
import Logging
import Yams

/// The daemon's configuration file (YAML, `/etc/crmd/crmd.yaml` under
/// systemd). Every key is optional; command-line flags override it. Unknown
/// keys and bad values are errors that name the key, so a typo never passes
/// silently. The format is documented in docs/configuration.md.
struct ConfigurationFile: Equatable {
    var dataDirectory: String?
    var socketPath: String?
    var logLevel: Logger.Level?

    /// Keys of the `daemon` section.
    static let daemonKeys = ["data_dir", "log_level", "socket"]

    static func load(path: String) throws -> ConfigurationFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(path: path, key: nil, problem: "cannot be read: \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws -> ConfigurationFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(path: path, key: nil, problem: "is not valid YAML: \(error)")
        }
        var file = ConfigurationFile()
        // An empty file, or one with only "---" and comments, sets nothing.
        guard let root, root.null == nil else { return file }
        guard let top = root.mapping else {
            throw ConfigurationError(path: path, key: nil, problem: "must be a mapping of sections (daemon: …)")
        }
        for (keyNode, value) in top {
            let section = keyNode.string ?? ""
            guard section == "daemon" else {
                throw ConfigurationError(path: path, key: section, problem: "unknown section (known: daemon)")
            }
            if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.string == "~" { continue }
            guard let entries = value.mapping else {
                throw ConfigurationError(path: path, key: section, problem: "must be a mapping of keys")
            }
            for (entryKey, entryValue) in entries {
                let key = entryKey.string ?? ""
                let fullKey = "daemon.\(key)"
                func string() throws -> String {
                    // A YAML null (~, null) is not a path named "~".
                    guard case .scalar(let scalar) = entryValue, entryValue.null == nil, !scalar.string.isEmpty
                    else {
                        throw ConfigurationError(path: path, key: fullKey, problem: "must be a non-empty string")
                    }
                    return scalar.string
                }
                switch key {
                case "data_dir":
                    file.dataDirectory = try string()
                case "socket":
                    file.socketPath = try string()
                case "log_level":
                    let text = try string()
                    guard let level = Logger.Level(rawValue: text) else {
                        throw ConfigurationError(
                            path: path,
                            key: fullKey,
                            problem:
                                "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\""
                        )
                    }
                    file.logLevel = level
                default:
                    throw ConfigurationError(
                        path: path,
                        key: fullKey,
                        problem: "unknown key (known: \(daemonKeys.joined(separator: ", ")))"
                    )
                }
            }
        }
        return file
    }
}

/// A configuration problem, naming the file and the key.
struct ConfigurationError: Error, CustomStringConvertible {
    var path: String
    var key: String?
    var problem: String

    /// One line: it ends up in STATUS= and in a log line, where a newline would cut it.
    var description: String {
        let problem = self.problem.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        if let key { return "\(path): \(key): \(problem)" }
        return "\(path): \(problem)"
    }
}

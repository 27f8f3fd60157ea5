import CRMServer
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
    /// `plugins.dirs`: replaces the default plugin folders when given.
    var pluginDirectories: [String]?
    /// `plugins.<name>`: per-plugin settings, by the plugin's name.
    var plugins: [String: PluginHostConfiguration.Plugin] = [:]
    /// The `limits` section; defaults where it says nothing.
    var limits = ServerLimits()
    /// The `plugin_host` section: how plugin processes run.
    var pluginHost = PluginHostSection()
    /// The `access` section: who holds which role; nil when the file has none (every caller is let in).
    var access: AccessMapping?
    /// The `backup` section (docs/operations.md).
    var backup = BackupSection()
    /// The `storage` section (docs/security.md).
    var storage = StorageSection()

    /// The `plugin_host` section; `nil` where the file says nothing.
    struct PluginHostSection: Equatable {
        var executable: String?
        var initTimeout: Duration?
        var cancelGrace: Duration?
        var memoryLimit: UInt64?
        var cpuLimit: UInt64?
        var workers: Int?
    }

    /// Keys of the `daemon` section.
    static let daemonKeys = ["data_dir", "log_level", "socket"]
    /// Keys of the `plugin_host` section.
    static let pluginHostKeys = ["cancel_grace", "cpu_limit", "executable", "init_timeout", "memory_limit", "workers"]

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
            guard ["daemon", "plugins", "plugin_host", "limits", "access", "backup", "storage"].contains(section) else {
                throw ConfigurationError(
                    path: path,
                    key: section,
                    problem: "unknown section (known: daemon, plugins, plugin_host, limits, access, backup, storage)"
                )
            }
            if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.string == "~" { continue }
            guard let entries = value.mapping else {
                throw ConfigurationError(path: path, key: section, problem: "must be a mapping of keys")
            }
            if section == "plugins" {
                try parsePlugins(entries, into: &file, path: path)
                continue
            }
            if section == "limits" {
                file.limits = try parseLimits(entries, path: path)
                continue
            }
            if section == "access" {
                file.access = try parseAccess(entries, path: path)
                continue
            }
            if section == "backup" {
                file.backup = try parseBackup(entries, path: path)
                continue
            }
            if section == "storage" {
                file.storage = try parseStorage(entries, path: path)
                continue
            }
            if section == "plugin_host" {
                try parsePluginHost(entries, into: &file, path: path)
                continue
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

    /// The `plugins` section: `dirs` (a list of folders) and one mapping per plugin name with
    /// `enabled` and `settings`.
    private static func parsePlugins(_ entries: Node.Mapping, into file: inout ConfigurationFile, path: String) throws {
        for (entryKey, entryValue) in entries {
            let key = entryKey.string ?? ""
            let fullKey = "plugins.\(key)"
            if key == "dirs" {
                guard let sequence = entryValue.sequence else {
                    throw ConfigurationError(path: path, key: fullKey, problem: "must be a list of folders")
                }
                file.pluginDirectories = try sequence.map { item in
                    guard case .scalar(let scalar) = item, item.null == nil, !scalar.string.isEmpty else {
                        throw ConfigurationError(path: path, key: fullKey, problem: "must be a list of non-empty paths")
                    }
                    return scalar.string
                }
                continue
            }
            guard isPluginName(key) else {
                throw ConfigurationError(
                    path: path,
                    key: fullKey,
                    problem: "unknown key (known: dirs, or a plugin's name: 1-63 of a-z, 0-9 and '-')"
                )
            }
            var plugin = PluginHostConfiguration.Plugin()
            if case .scalar(let scalar) = entryValue, scalar.string.isEmpty || scalar.string == "~" {
                file.plugins[key] = plugin
                continue
            }
            guard let options = entryValue.mapping else {
                throw ConfigurationError(
                    path: path,
                    key: fullKey,
                    problem: "must be a mapping (enabled, settings) if it names a plugin; the only other key is dirs"
                )
            }
            for (optionKey, optionValue) in options {
                let option = optionKey.string ?? ""
                let optionFullKey = "\(fullKey).\(option)"
                switch option {
                case "enabled":
                    guard let enabled = optionValue.bool else {
                        throw ConfigurationError(path: path, key: optionFullKey, problem: "must be true or false")
                    }
                    plugin.enabled = enabled
                case "settings":
                    if optionValue.null != nil { continue }
                    guard let settings = optionValue.mapping else {
                        throw ConfigurationError(path: path, key: optionFullKey, problem: "must be a mapping of text")
                    }
                    for (settingKey, settingValue) in settings {
                        let name = settingKey.string ?? ""
                        guard case .scalar(let scalar) = settingValue, !name.isEmpty else {
                            throw ConfigurationError(
                                path: path,
                                key: "\(optionFullKey).\(name)",
                                problem: "must be a scalar (text, number or boolean)"
                            )
                        }
                        plugin.settings[name] = scalar.string
                    }
                case "trusted":
                    guard let trusted = optionValue.bool else {
                        throw ConfigurationError(path: path, key: optionFullKey, problem: "must be true or false")
                    }
                    plugin.trusted = trusted
                case "memory_limit":
                    plugin.memoryLimit = try byteSize(optionValue, key: optionFullKey, path: path)
                case "cpu_limit":
                    plugin.cpuLimit = try seconds(optionValue, key: optionFullKey, path: path)
                case "workers":
                    plugin.workers = try workerCount(optionValue, key: optionFullKey, path: path)
                default:
                    throw ConfigurationError(
                        path: path,
                        key: optionFullKey,
                        problem: "unknown key (known: enabled, settings); for its processes: "
                            + "trusted, workers, memory_limit, cpu_limit"
                    )
                }
            }
            file.plugins[key] = plugin
        }
    }

    /// The `plugin_host` section: the host executable, timeouts, and the defaults of every plugin's limits.
    private static func parsePluginHost(
        _ entries: Node.Mapping,
        into file: inout ConfigurationFile,
        path: String
    ) throws {
        for (entryKey, value) in entries {
            let key = entryKey.string ?? ""
            let fullKey = "plugin_host.\(key)"
            switch key {
            case "executable":
                guard case .scalar(let scalar) = value, value.null == nil, scalar.string.hasPrefix("/") else {
                    throw ConfigurationError(path: path, key: fullKey, problem: "must be an absolute path")
                }
                file.pluginHost.executable = scalar.string
            case "init_timeout":
                file.pluginHost.initTimeout = try duration(value, key: fullKey, path: path)
            case "cancel_grace":
                file.pluginHost.cancelGrace = try duration(value, key: fullKey, path: path)
            case "memory_limit":
                file.pluginHost.memoryLimit = try byteSize(value, key: fullKey, path: path)
            case "cpu_limit":
                file.pluginHost.cpuLimit = try seconds(value, key: fullKey, path: path)
            case "workers":
                file.pluginHost.workers = try workerCount(value, key: fullKey, path: path)
            default:
                throw ConfigurationError(
                    path: path,
                    key: fullKey,
                    problem: "unknown key (known: \(pluginHostKeys.joined(separator: ", ")))"
                )
            }
        }
    }

    /// `4GiB`, `512MiB`, `64KiB` or a number of bytes; `0` or `none` for no limit.
    static func byteSize(_ node: Node, key: String, path: String) throws -> UInt64 {
        let text = (node.scalar?.string ?? "").trimmingCharacters(in: .whitespaces)
        if text == "none" { return 0 }
        let units: [(String, UInt64)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            if let value = UInt64(number), value <= UInt64.max / factor { return value * factor }
            break
        }
        throw ConfigurationError(
            path: path,
            key: key,
            problem: "must be a size such as 4GiB, 512MiB or a number of bytes (0 or none: no limit), not \"\(text)\""
        )
    }

    /// Whole seconds (`600`, `600s`); `0` or `none` for no limit.
    static func seconds(_ node: Node, key: String, path: String) throws -> UInt64 {
        let text = (node.scalar?.string ?? "").trimmingCharacters(in: .whitespaces)
        if text == "none" { return 0 }
        let number = text.hasSuffix("s") ? String(text.dropLast()) : text
        guard let value = UInt64(number) else {
            throw ConfigurationError(
                path: path,
                key: key,
                problem: "must be a whole number of seconds such as 600 (0 or none: no limit), not \"\(text)\""
            )
        }
        return value
    }

    /// A positive duration: `10s`, `1.5s`, `500ms`, or a number of seconds.
    static func duration(_ node: Node, key: String, path: String) throws -> Duration {
        let text = (node.scalar?.string ?? "").trimmingCharacters(in: .whitespaces)
        let milliseconds: Double? =
            if text.hasSuffix("ms") {
                Double(text.dropLast(2))
            } else if text.hasSuffix("s") {
                Double(text.dropLast()).map { $0 * 1000 }
            } else {
                Double(text).map { $0 * 1000 }
            }
        guard let milliseconds, milliseconds >= 1, milliseconds <= 3_600_000 else {
            throw ConfigurationError(
                path: path,
                key: key,
                problem: "must be a duration from 1ms to 3600s such as 10s or 500ms, not \"\(text)\""
            )
        }
        return .milliseconds(Int64(milliseconds))
    }

    /// 1 to 64 processes.
    static func workerCount(_ node: Node, key: String, path: String) throws -> Int {
        guard let count = node.int, (1...64).contains(count) else {
            throw ConfigurationError(path: path, key: key, problem: "must be a number of processes from 1 to 64")
        }
        return count
    }

    /// A plugin's name as crm_plugin.h allows it: 1-63 of a-z, 0-9 and '-', not starting with '-'.
    static func isPluginName(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), name.first != "-" else { return false }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
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

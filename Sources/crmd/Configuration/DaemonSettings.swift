import CRMServer
import Foundation
import GRPCCore
import Logging

/// The settings crmd runs with, from (strongest first) command-line flags,
/// the configuration file, systemd's environment (`STATE_DIRECTORY`,
/// `RUNTIME_DIRECTORY`), and the embedded default (`./var`).
struct DaemonSettings: Equatable {
    var dataDirectory: String
    var socketPath: String
    var logLevel: Logger.Level
    var configurationPath: String?
    /// The file's `plugins.dirs`; `nil` means the defaults (``defaultPluginFolders``).
    var pluginDirectories: [String]? = nil
    /// `--plugin-dir` flags: added after the others.
    var extraPluginDirectories: [String] = []
    /// Per-plugin settings from the file.
    var plugins: [String: PluginHostConfiguration.Plugin] = [:]
    /// The file's `plugin_host` section.
    var pluginHost = ConfigurationFile.PluginHostSection()
    /// The file's `limits`.
    var limits = ServerLimits()
    /// The file's `access` section; nil: no roles are checked.
    var access: AccessMapping? = nil
    /// The file's `backup` section.
    var backupSection = ConfigurationFile.BackupSection()
    /// The file's `storage` section.
    var storageSection = ConfigurationFile.StorageSection()

    /// What the command line said; nil where it said nothing.
    struct Flags {
        var configurationPath: String?
        var dataDirectory: String?
        var socketPath: String?
        var logLevel: Logger.Level?
        var pluginDirectories: [String] = []
    }

    /// The folder of the running executable: where SwiftPM puts crmd and the shipped plugins.
    static var executableDirectory: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    /// The plugin folders without configuration: the installed folders, then the folder of the
    /// running crmd (only its `libcrmplugin-*.so`: a local build keeps other libraries there).
    static func defaultPluginFolders(executableDirectory: String) -> [PluginHostConfiguration.Folder] {
        PluginHostConfiguration.installedFolders.map { PluginHostConfiguration.Folder(path: $0) } + [
            PluginHostConfiguration.Folder(path: executableDirectory, shippedPluginsOnly: true)
        ]
    }

    /// The folders the plugin host scans, in order.
    func pluginFolders(executableDirectory: String = Self.executableDirectory) -> [PluginHostConfiguration.Folder] {
        let base =
            pluginDirectories.map { $0.map { PluginHostConfiguration.Folder(path: $0) } }
            ?? Self.defaultPluginFolders(executableDirectory: executableDirectory)
        var seen = Set<String>()
        return (base + extraPluginDirectories.map { PluginHostConfiguration.Folder(path: $0) }).filter {
            seen.insert(($0.path as NSString).standardizingPath).inserted
        }
    }

    /// The plugin host's configuration.
    var pluginHostConfiguration: PluginHostConfiguration {
        var configuration = PluginHostConfiguration(folders: pluginFolders(), plugins: plugins)
        configuration.hostExecutable = pluginHost.executable
        if let timeout = pluginHost.initTimeout { configuration.initTimeout = timeout }
        if let grace = pluginHost.cancelGrace { configuration.cancelGrace = grace }
        if let memory = pluginHost.memoryLimit { configuration.memoryLimit = memory }
        if let cpu = pluginHost.cpuLimit { configuration.cpuLimit = cpu }
        if let workers = pluginHost.workers { configuration.workers = workers }
        return configuration
    }

    static func resolve(
        _ flags: Flags,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> DaemonSettings {
        let file = try flags.configurationPath.map(ConfigurationFile.load(path:)) ?? ConfigurationFile()
        // systemd may pass several folders separated by ':'; the first is ours.
        let stateDirectory = environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init)
        let runtimeDirectory = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first.map(String.init)
        let dataDirectory = flags.dataDirectory ?? file.dataDirectory ?? stateDirectory ?? "./var"
        let socketPath =
            flags.socketPath ?? file.socketPath
            ?? runtimeDirectory.map { $0 + "/crmd.sock" }
            ?? (dataDirectory as NSString).appendingPathComponent("crmd.sock")
        return DaemonSettings(
            dataDirectory: dataDirectory,
            socketPath: socketPath,
            logLevel: flags.logLevel ?? file.logLevel ?? .info,
            configurationPath: flags.configurationPath,
            pluginDirectories: file.pluginDirectories,
            extraPluginDirectories: flags.pluginDirectories,
            plugins: file.plugins,
            pluginHost: file.pluginHost,
            limits: file.limits,
            access: file.access,
            backupSection: file.backup,
            storageSection: file.storage
        )
    }

    /// "enabled", "disabled", "enabled, trusted".
    private static func describe(_ plugin: PluginHostConfiguration.Plugin) -> String {
        (plugin.enabled ? "enabled" : "disabled") + (plugin.trusted ? ", trusted" : "")
    }

    /// Backups: the `backup` section, in `<data_dir>/backups` unless it names a folder.
    var backup: BackupSettings {
        BackupSettings(
            directory: backupSection.directory ?? (dataDirectory as NSString).appendingPathComponent("backups"),
            scratchDirectory: dataDirectory,
            keyFile: backupSection.keyFile,
            encrypt: backupSection.encrypt,
            every: backupSection.every,
            keep: backupSection.keep
        )
    }

    /// The effective settings, as `crmd --check-config` prints them.
    var summary: String {
        """
        configuration file: \(configurationPath ?? "(none)")
        data_dir: \(dataDirectory)
        socket: \(socketPath)
        log_level: \(logLevel.rawValue)
        plugin_dirs:
        \(pluginFolders().map { "  - \($0.path)" + ($0.shippedPluginsOnly ? " (libcrmplugin-*.so only)" : "") }.joined(separator: "\n"))
        """
            + (plugins.isEmpty
                ? ""
                : "\nplugins: "
                    + plugins.keys.sorted().map { "\($0) (\(Self.describe(plugins[$0]!)))" }.joined(separator: ", "))
    }
}

extension DaemonSettings {
    /// Who may call what: roles (``RolePolicy``) when the configuration has an `access` section, else
    /// every local caller, the socket's mode being the fence.
    var callPolicy: ConfiguredPolicy {
        access.map { .roles(RolePolicy(mapping: $0)) } ?? .everyone
    }

    /// The database of the embedded store.
    var databasePath: String { (dataDirectory as NSString).appendingPathComponent("crmd.sqlite3") }
}

/// The policy the configuration chose.
enum ConfiguredPolicy: CallPolicy {
    case everyone
    case roles(RolePolicy)

    func check(_ caller: Caller, method: MethodDescriptor) async throws {
        if case .roles(let policy) = self { try await policy.check(caller, method: method) }
    }

    /// The role policy, when roles are checked.
    var roles: RolePolicy? {
        if case .roles(let policy) = self { policy } else { nil }
    }
}

import CRMServer
import Foundation
import Logging

/// The settings crmd runs with, from (strongest first) command-line flags,
/// the configuration file, systemd's environment (`STATE_DIRECTORY`,
/// `RUNTIME_DIRECTORY`), and the embedded default (`./var`).
struct DaemonSettings: Equatable {
    var dataDirectory: String
    var socketPath: String
    var logLevel: Logger.Level
    var configurationPath: String?

    /// What the command line said; nil where it said nothing.
    struct Flags {
        var configurationPath: String?
        var dataDirectory: String?
        var socketPath: String?
        var logLevel: Logger.Level?
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
            configurationPath: flags.configurationPath
        )
    }

    /// The effective settings, as `crmd --check-config` prints them.
    var summary: String {
        """
        configuration file: \(configurationPath ?? "(none)")
        data_dir: \(dataDirectory)
        socket: \(socketPath)
        log_level: \(logLevel.rawValue)
        """
    }
}

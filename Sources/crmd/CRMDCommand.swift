public import ArgumentParser
import CRMServer
import Foundation
import Glibc
public import Logging

/// `crmd`: the customer registry daemon.
@main
struct CRMDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmd",
        abstract: "The crmd customer registry daemon: gRPC over a Unix socket, data in SQLite.",
        discussion: """
            Without options crmd keeps its database in ./var and serves on ./var/crmd.sock, which is \
            where crmctl looks first. Settings come from, strongest first: these flags, the configuration \
            file (--config), systemd's STATE_DIRECTORY and RUNTIME_DIRECTORY, and that default.

            Under systemd (see docs/systemd.md) crmd takes its socket from socket activation when one is \
            passed (LISTEN_FDS, name "api"), reports READY/STATUS/RELOADING/STOPPING and watchdog pings \
            through NOTIFY_SOCKET, and logs to the journal with structured fields.

            `crmd restore FILE --data-dir DIR` restores a backup, offline (crmd restore --help).

            Signals: SIGTERM or SIGINT stop it after in-flight calls finish and the database is closed; \
            SIGHUP re-reads the configuration file (the log level changes at once; data_dir and socket \
            on the next start) and scans the plugin folders for new plugins (docs/plugins.md).
            """,
        version: CRMDVersion.current
    )

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp("Configuration file (YAML; docs/configuration.md).", valueName: "path")
    )
    var configurationPath: String?

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp("Folder of the database (created if missing). Default: ./var.", valueName: "dir")
    )
    var dataDirectory: String?

    @Option(
        name: .customLong("socket"),
        help: ArgumentHelp("Unix socket to serve on. Default: <data-dir>/crmd.sock.", valueName: "path")
    )
    var socketPath: String?

    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info, notice, warning, error or critical. Default: info."
    )
    var logLevel: Logger.Level?

    @Option(
        name: .customLong("plugin-dir"),
        help: ArgumentHelp(
            "A folder of plugin libraries (*.so) to scan, after the configured ones; repeatable.",
            valueName: "dir"
        )
    )
    var pluginDirectories: [String] = []

    @Flag(name: .customLong("check-config"), help: "Check the configuration, print the effective settings and exit.")
    var checkConfiguration = false

    /// `crmd restore …` is a command of its own (``RestoreCommand``); anything else runs the daemon.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let command: any AsyncParsableCommand.Type =
            arguments.first == "restore" ? RestoreCommand.self : CRMDCommand.self
        let rest = arguments.first == "restore" ? Array(arguments.dropFirst()) : arguments
        do {
            var parsed = try command.parseAsRoot(rest)
            if var asynchronous = parsed as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try parsed.run()
            }
        } catch {
            command.exit(withError: error)
        }
    }

    var flags: DaemonSettings.Flags {
        DaemonSettings.Flags(
            configurationPath: configurationPath,
            dataDirectory: dataDirectory,
            socketPath: socketPath,
            logLevel: logLevel,
            pluginDirectories: pluginDirectories
        )
    }

    func run() async throws {
        let settings: DaemonSettings
        do {
            settings = try DaemonSettings.resolve(flags)
        } catch {
            FileHandle.standardError.write(Data("crmd: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        if checkConfiguration {
            print(settings.summary)
            print("configuration OK")
            return
        }
        // The database, its journal and the socket are private to crmd's user
        // (the socket is opened up to the group explicitly).
        umask(0o077)
        let levels = LogLevelControl(settings.logLevel)
        let journal = JournalLogHandler.standardErrorIsJournal
        LoggingSystem.bootstrap { label -> any LogHandler in
            if journal { return JournalLogHandler(identifier: "crmd", control: levels) }
            return ConsoleLogHandler(label: label, control: levels)
        }
        let logger = Logger(label: "crmd")

        let listener: Listener
        do {
            listener =
                try SocketActivation.listeningDescriptor(named: "api").map {
                    .inherited(descriptor: $0, path: settings.socketPath)
                }
                ?? .path(settings.socketPath)
        } catch {
            logger.critical("socket activation failed", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let flags = self.flags
        let daemon = Daemon(settings: settings, listener: listener, logger: logger) { plugins in
            let reloaded = try DaemonSettings.resolve(flags)
            levels.level = reloaded.logLevel
            plugins.update(configuration: reloaded.pluginHostConfiguration)
            if reloaded.dataDirectory != settings.dataDirectory || reloaded.socketPath != settings.socketPath {
                logger.warning("data_dir and socket changes take effect when crmd restarts")
            }
        }
        do {
            try await daemon.run()
        } catch {
            logger.critical("crmd failed", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

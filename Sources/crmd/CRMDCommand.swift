public import ArgumentParser
import CRMServer
import Glibc
public import Logging
import ServiceLifecycle

/// `crmd`: the customer registry daemon.
@main
struct CRMDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmd",
        abstract: "The crmd customer registry daemon: gRPC over a Unix socket, data in SQLite.",
        discussion: """
            Without options crmd keeps its database in ./var and serves on ./var/crmd.sock, \
            which is what crmctl looks for first. SIGTERM or SIGINT stops it after in-flight calls finish.
            """,
        version: CRMDVersion.current
    )

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Folder of the database (created if missing).", valueName: "dir"))
    var dataDirectory = "./var"

    @Option(name: .customLong("socket"), help: ArgumentHelp("Unix socket to serve on. Default: <data-dir>/crmd.sock.", valueName: "path"))
    var socketPath: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        // The database, its journal and the socket are private to crmd's user
        // (the socket is opened up to the group explicitly).
        umask(0o077)
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "crmd")
        let configuration = DaemonConfiguration(
            dataDirectory: dataDirectory,
            socketPath: socketPath ?? dataDirectory + "/crmd.sock"
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: RegistryDaemon(configuration: configuration, logger: logger))],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            logger.critical("crmd failed", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

import CRMCore
import CRMProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
public import Logging
public import ServiceLifecycle

/// Where and how the daemon runs.
public struct DaemonConfiguration: Sendable {
    /// Folder of the database; created if missing.
    public var dataDirectory: String
    /// The Unix socket to serve on.
    public var socketPath: String

    public init(dataDirectory: String, socketPath: String) {
        self.dataDirectory = dataDirectory
        self.socketPath = socketPath
    }

    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("crmd.sqlite3") }
}

/// The daemon as one ``Service``: it opens the registry, serves gRPC on the
/// Unix socket until graceful shutdown (SIGTERM, SIGINT), lets in-flight
/// calls finish, then closes the database.
public final class RegistryDaemon: Service {
    let configuration: DaemonConfiguration
    let logger: Logger

    public init(configuration: DaemonConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o750]
        )
        let store = try SQLiteRegistry(path: configuration.databasePath, logger: logger)
        do {
            try await serve(store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    private func serve(_ store: SQLiteRegistry) async throws {
        let path = configuration.socketPath
        try SocketFile.ensureNotServed(path)

        let health = HealthService(services: [
            "crm.v1.CustomerService", "crm.v1.OrderService", "crm.v1.InteractionService", "crm.v1.AdminService",
        ])
        let services: [any RegistrableRPCService] = [
            CustomerService(store: store),
            OrderService(store: store),
            InteractionService(store: store),
            AdminService(store: store, dataDirectory: configuration.dataDirectory),
            health,
        ]
        let transport = HTTP2ServerTransport.Posix(
            address: .unixDomainSocket(path: path),
            transportSecurity: .plaintext,
            config: .defaults { config in
                config.channelDebuggingCallbacks.onAcceptHTTP2Stream = PeerCredentialsHandler.install
            }
        )
        let server = GRPCServer(
            transport: transport,
            services: services,
            interceptors: [CallerInterceptor(policy: AllowEveryCaller(), logger: logger)]
        )
        let logger = self.logger

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                _ = try await transport.listeningAddress
                try SocketFile.restrict(path)
                logger.notice("crmd serving", metadata: [
                    "socket": "\(path)", "data_dir": "\(configuration.dataDirectory)", "version": "\(CRMDVersion.current)",
                ])
            }
        } onGracefulShutdown: {
            logger.notice("shutting down: draining in-flight calls")
            health.markShuttingDown()
            server.beginGracefulShutdown()
        }
        logger.notice("crmd stopped")
    }
}

public import CRMCore
import CRMProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization
import UnixSignals

/// Where and how the daemon runs.
public struct DaemonConfiguration: Sendable {
    /// Where the daemon accepts connections.
    public enum Listener: Sendable, Hashable {
        /// Bind this path (a stale socket file is replaced, a live one is not).
        case path(String)
        /// Serve on a socket inherited from systemd (socket activation); its
        /// path is only for logs and status.
        case inherited(descriptor: Int32, path: String)

        public var isInherited: Bool {
            if case .inherited = self { true } else { false }
        }

        public var path: String {
            switch self {
            case .path(let path), .inherited(_, let path): path
            }
        }
    }

    /// Folder of the database; created if missing.
    public var dataDirectory: String
    public var listener: Listener
    /// Re-reads the configuration on SIGHUP; throws to keep the old one.
    public var reload: @Sendable () throws -> Void
    /// Loads and calls plugins; scanned at start and again after each reload.
    public var plugins: PluginHost
    /// What one client, or all together, may use at once.
    public var limits: ServerLimits
    /// Runs long work (trainings); a ``Service`` of its own in the daemon's service group, which
    /// cancels running jobs at shutdown.
    public var jobs: JobRunner

    public init(
        dataDirectory: String,
        listener: Listener,
        plugins: PluginHost? = nil,
        jobs: JobRunner,
        limits: ServerLimits = ServerLimits(),
        reload: @escaping @Sendable () throws -> Void = {}
    ) {
        self.dataDirectory = dataDirectory
        self.listener = listener
        self.limits = limits
        self.jobs = jobs
        self.plugins =
            plugins ?? PluginHost(configuration: PluginHostConfiguration(), logger: Logger(label: "crmd.plugins"))
        self.reload = reload
    }

    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("crmd.sqlite3") }
}

/// The daemon as one ``Service``: it opens the registry, serves gRPC on the
/// Unix socket until graceful shutdown (SIGTERM, SIGINT), lets in-flight
/// calls finish, then closes the database. Under systemd it reports
/// readiness, status, reloads (SIGHUP) and stopping, and pings the watchdog
/// while the database and the event loops answer.
///
/// Generic over the store: the entry point says which one to open (the SQLite store is the
/// embedded default), and nothing here depends on it.
public final class RegistryDaemon<Store: RegistryStore>: Service {
    let configuration: DaemonConfiguration
    let logger: Logger
    let notifier = SystemdNotifier()
    /// Opens (creating and migrating if needed) the store in the data folder.
    let openStore: @Sendable (_ dataDirectory: String) throws -> Store

    /// - Parameters:
    ///   - configuration: where and how to serve.
    ///   - logger: the daemon's logger.
    ///   - openStore: opens the registry in the data folder once it exists.
    public init(
        configuration: DaemonConfiguration,
        logger: Logger,
        openStore: @escaping @Sendable (_ dataDirectory: String) throws -> Store
    ) {
        self.configuration = configuration
        self.logger = logger
        self.openStore = openStore
    }

    public func run() async throws {
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o750]
        )
        let store = try openStore(configuration.dataDirectory)
        do {
            try await serve(store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    private func serve(_ store: Store) async throws {
        let health = HealthService(services: [
            "crm.v1.CustomerService", "crm.v1.OrderService", "crm.v1.InteractionService", "crm.v1.AdminService",
            "crm.v1.PluginService", "crm.v1.AnalysisService", "crm.v1.JobService",
        ])
        let plugins = configuration.plugins
        await plugins.scan()
        let limits = configuration.limits
        let imports = ImportLimits(limits)
        let services: [any RegistrableRPCService] = [
            CustomerService(store: store, imports: imports),
            OrderService(store: store, imports: imports),
            InteractionService(store: store, imports: imports),
            AdminService(store: store, dataDirectory: configuration.dataDirectory),
            PluginService(host: plugins),
            AnalysisService(
                store: store,
                host: plugins,
                jobs: configuration.jobs,
                logger: logger,
                concurrentTrainings: limits.concurrentTrainings
            ),
            JobService(runner: configuration.jobs),
            health,
        ]
        let connections = ConnectionLimit(
            limit: limits.connections,
            silence: limits.idleConnectionTimeout,
            logger: logger
        )
        let transportConfig = HTTP2ServerTransport.Posix.Config.defaults { config in
            config.channelDebuggingCallbacks.onAcceptTCPConnection = connections.admit
            config.channelDebuggingCallbacks.onAcceptHTTP2Stream = { stream in
                PeerCredentialsHandler.install(on: stream).flatMap {
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandler(
                            RequestSizeLimitHandler(limit: limits.requestBytes),
                            position: .first
                        )
                    }
                }
            }
            // Flush coalescing holds each response back up to 100 µs hoping to
            // batch writes; on a local socket that delay is most of a call's latency.
            config.connection.flushCoalescing = nil
            config.connection.maxIdleTime = limits.idleConnectionTimeout
            // A keepalive PING at half the idle timeout makes every live client answer (HTTP/2
            // clients acknowledge PINGs by themselves), even one only waiting on a long streaming
            // answer; ConnectionLimit closes a connection that sent nothing for the whole timeout.
            // The transport's own idle and keepalive paths only send GOAWAY and wait for a PING
            // acknowledgement that a silent client never sends.
            config.connection.keepalive.time = limits.idleConnectionTimeout / 2
            config.connection.keepalive.timeout = min(limits.idleConnectionTimeout / 4, .seconds(20))
            config.http2.maxConcurrentStreams = limits.streamsPerConnection
            // Training on an uploaded table sends it in one message: 100,000 rows of 20 features
            // are 16 MB. A larger window lets it stream without waiting on acknowledgements.
            // RequestSizeLimitHandler answers larger messages before the transport sees them.
            config.rpc.maxRequestPayloadSize = limits.requestBytes
            config.http2.targetWindowSize = 4 << 20
        }
        let transport: HTTP2ServerTransport.Posix
        switch configuration.listener {
        case .path(let path):
            try SocketFile.ensureNotServed(path)
            transport = HTTP2ServerTransport.Posix(
                address: .unixDomainSocket(path: path),
                transportSecurity: .plaintext,
                config: transportConfig
            )
        case .inherited(let descriptor, _):
            transport = HTTP2ServerTransport.Posix(
                listeningSocketDescriptor: Int(descriptor),
                transportSecurity: .plaintext,
                config: transportConfig
            )
        }
        let server = GRPCServer(
            transport: transport,
            services: services,
            interceptors: [
                CallerInterceptor(policy: AllowEveryCaller(), logger: logger, callsPerCaller: limits.callsPerCaller)
            ]
        )
        let logger = self.logger
        let notifier = self.notifier
        let configuration = self.configuration

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                _ = try await transport.listeningAddress
                if case .path(let path) = configuration.listener {
                    try SocketFile.restrict(path)
                }
                logger.notice(
                    "crmd serving",
                    metadata: [
                        "socket": "\(configuration.listener.path)", "data_dir": "\(configuration.dataDirectory)",
                        "version": "\(CRMDVersion.current)",
                        "socket_activated": "\(configuration.listener.isInherited)",
                    ]
                )
                // Trap SIGHUP before READY=1: systemd (or anyone) may ask for a reload at once, and
                // SIGHUP's default action ends the process.
                let hangups = await UnixSignalsSequence(trapping: .sighup)
                notifier.ready(status: await Self.statusLine(store, configuration))
                group.addTask { await cancelWhenGracefulShutdown { await self.superviseLoop(store) } }
                group.addTask {
                    await cancelWhenGracefulShutdown { await self.reloadOnHangup(store, signals: hangups) }
                }
            }
        } onGracefulShutdown: {
            logger.notice("shutting down: draining in-flight calls")
            notifier.stopping()
            health.markShuttingDown()
            plugins.cancelAllCalls()
            server.beginGracefulShutdown()
        }
        await plugins.shutdownAll()
        logger.notice("crmd stopped")
    }

    /// Pings the watchdog at half its interval while the daemon is healthy,
    /// and refreshes the status line.
    private func superviseLoop(_ store: Store) async {
        let interval = notifier.watchdogInterval
        if let interval { logger.info("watchdog enabled", metadata: ["interval": "\(interval)"]) }
        let tick = interval.map { $0 / 2 } ?? .seconds(30)
        var lastStatus = ContinuousClock.now
        while !Task.isCancelled {
            // Cancelled at graceful shutdown; a thrown CancellationError here
            // would cancel the server task beside it and cut in-flight calls.
            try? await Task.sleep(for: tick)
            guard notifier.isActive, !Task.isCancelled else { continue }
            if interval != nil {
                if await Self.isHealthy(store, within: tick / 2) {
                    notifier.watchdog()
                } else {
                    logger.error("health check failed: withholding the watchdog ping")
                }
            }
            if ContinuousClock.now - lastStatus >= .seconds(30) {
                notifier.status(await Self.statusLine(store, configuration))
                lastStatus = .now
            }
        }
    }

    /// Whether the database answers and every event loop runs a task, each within `limit`.
    ///
    /// Returns at `limit` even when a check is stuck (a locked database
    /// cannot be cancelled): the stuck check finishes on its own later.
    static func isHealthy(_ store: Store, within limit: Duration) async -> Bool {
        let verdict = HealthVerdict()
        @Sendable func decide(_ healthy: Bool) {
            verdict.continuation.withLock { $0.take() }?.resume(returning: healthy)
        }
        return await withCheckedContinuation { continuation in
            verdict.continuation.withLock { $0 = continuation }
            Task {
                do {
                    try await store.ping()
                    for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
                        try await loop.submit {}.get()
                    }
                    decide(true)
                } catch {
                    decide(false)
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                decide(false)
            }
        }
    }

    /// SIGHUP: re-read the configuration (RELOADING=1 … READY=1 for systemd).
    private func reloadOnHangup(_ store: Store, signals: UnixSignalsSequence) async {
        for await _ in signals {
            notifier.reloading()
            do {
                try configuration.reload()
                await configuration.plugins.scan()
                logger.notice("configuration reloaded")
                notifier.ready(status: await Self.statusLine(store, configuration))
            } catch {
                logger.error("reload failed; keeping the running configuration", metadata: ["error": "\(error)"])
                notifier.ready(status: "reload failed (\(error)); " + (await Self.statusLine(store, configuration)))
            }
        }
    }

    static func statusLine(_ store: Store, _ configuration: DaemonConfiguration) async -> String {
        guard let statistics = try? await store.statistics() else {
            return "serving on \(configuration.listener.path); database not answering"
        }
        let disk = statistics.diskFull ? "DISK FULL, writes refused; " : ""
        return disk + "serving on \(configuration.listener.path): \(statistics.customers) customers, "
            + "\(statistics.orders) orders, \(statistics.interactions) interactions, "
            + "\(configuration.plugins.loadedCount) plugins"
    }
}

/// The first answer of a health check wins; later ones are dropped.
private final class HealthVerdict: Sendable {
    let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)
}

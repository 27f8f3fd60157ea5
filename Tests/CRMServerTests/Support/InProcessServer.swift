import CRMDLauncher
import CRMProto
import CRMStoreSQLite
import Foundation
import GRPCCore
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import CRMServer

/// crmd's services, interceptor and transport served from this test process on a temporary store and
/// socket, with a caller the test chooses: for tests of the services, the interceptor and per-method
/// rules that need no process boundary. Tests of start-up, signals, crashes, systemd and plugins use
/// ``Daemon``, the built binary.
///
/// The same pieces as crmd's `ServiceGroup` (crmd/Daemon.swift) except the watchdog and the reloader,
/// which only act under systemd.
final class InProcessServer: RunningServer {
    let root: String
    let socketPath: String
    var dataDir: String { root + "/data" }
    let connection: Connection
    private let caller: CallerChoice
    private let group: ServiceGroup
    private let running: Task<Void, any Error>
    private let store: SQLiteRegistry

    /// The caller every call is served as from now on; nil for the test process's own credentials, as
    /// the kernel reports them.
    func setCaller(_ caller: Caller?) {
        self.caller.value.withLock { $0 = caller }
    }

    private init(
        root: String,
        caller: Caller?,
        limits: ServerLimits,
        policy: some CallPolicy
    ) async throws {
        self.root = root
        socketPath = root + "/crmd.sock"
        let logger = Logger(label: "crmd.in-process") { _ in SwiftLogNoOpLogHandler() }
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        store = try SQLiteRegistry(path: root + "/data/crmd.sqlite3", logger: logger)
        let plugins = PluginHost(configuration: PluginHostConfiguration(), logger: logger)
        let jobs = JobRunner(logger: logger)
        let api = RegistryAPI(
            store: store,
            plugins: plugins,
            jobs: jobs,
            limits: limits,
            dataDirectory: root + "/data",
            logger: logger
        )
        let chosen = CallerChoice(caller)
        self.caller = chosen
        // Ends when the socket listens, or when the group ends without ever listening.
        let (listening, listeningNow) = AsyncStream<Void>.makeStream()
        let server = GRPCServerRunner(
            listener: .path(socketPath),
            services: api.services,
            interceptors: [
                ChosenCaller(caller: chosen),
                CallerInterceptor(policy: policy, logger: logger, callsPerCaller: limits.callsPerCaller),
            ],
            limits: limits,
            logger: logger,
            whenListening: { listeningNow.finish() },
            beforeDrain: {
                api.health.markShuttingDown()
                plugins.cancelAllCalls()
            }
        )
        let group = ServiceGroup(services: [plugins, server, jobs], logger: logger)
        self.group = group
        running = Task {
            defer { listeningNow.finish() }
            try await group.run()
        }
        for await _ in listening {}
        guard Daemon.isSocket(socketPath) else {
            let error: (any Error)? =
                switch await running.result {
                case .failure(let error): error
                case .success: nil
                }
            throw HarnessError("the in-process server did not listen on \(socketPath): \(String(describing: error))")
        }
        connection = try Connection(socketPath: socketPath)
    }

    static func start(
        caller: Caller? = nil,
        limits: ServerLimits = ServerLimits(),
        policy: some CallPolicy = AllowEveryCaller()
    ) async throws -> InProcessServer {
        let root = try Daemon.makeTempDirectory(prefix: "crmdi")
        do {
            return try await InProcessServer(root: root, caller: caller, limits: limits, policy: policy)
        } catch {
            try? FileManager.default.removeItem(atPath: root)
            throw error
        }
    }

    func connect() throws -> Connection {
        try Connection(socketPath: socketPath)
    }

    /// Closes the test's connection, drains the server as SIGTERM would, closes the store and removes
    /// the folder.
    func stop() async throws {
        await connection.close()
        await group.triggerGracefulShutdown()
        try await running.value
        try await store.close()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Stands in for the kernel's peer credentials with the caller a test chose, before
/// ``CallerInterceptor`` reads them.
private struct ChosenCaller: ServerInterceptor {
    let caller: CallerChoice

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        guard let caller = caller.value.withLock({ $0 }) else { return try await next(request, context) }
        var request = request
        request.metadata.replaceOrAddString(String(caller.uid), forKey: PeerCredentialsHandler.uidKey)
        request.metadata.replaceOrAddString(String(caller.gid), forKey: PeerCredentialsHandler.gidKey)
        request.metadata.replaceOrAddString(String(caller.pid), forKey: PeerCredentialsHandler.pidKey)
        return try await next(request, context)
    }
}

private final class CallerChoice: Sendable {
    let value: Mutex<Caller?>

    init(_ caller: Caller?) {
        value = Mutex(caller)
    }
}

/// Runs `body` with a new ``InProcessServer`` and stops it afterwards.
func withInProcessServer<R>(
    caller: Caller? = nil,
    limits: ServerLimits = ServerLimits(),
    policy: some CallPolicy = AllowEveryCaller(),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (InProcessServer) async throws -> R
) async throws -> R {
    try await DaemonSlots.shared.withSlot {
        let server = try await InProcessServer.start(caller: caller, limits: limits, policy: policy)
        let result: R
        do {
            result = try await body(server)
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
        return result
    }
}

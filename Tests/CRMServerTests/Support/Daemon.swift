import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import Testing

typealias ClientTransport = HTTP2ClientTransport.Posix

/// One gRPC client connection to a daemon's socket, with typed service clients.
final class Connection: Sendable {
    let grpc: GRPCClient<ClientTransport>
    private let runner: Task<Void, any Error>

    init(socketPath: String) throws {
        let transport = try ClientTransport(
            target: .unixDomainSocket(path: socketPath),
            transportSecurity: .plaintext
        )
        let grpc = GRPCClient(transport: transport)
        self.grpc = grpc
        self.runner = Task { try await grpc.runConnections() }
    }

    var customers: Crm_V1_CustomerService.Client<ClientTransport> { .init(wrapping: grpc) }
    var orders: Crm_V1_OrderService.Client<ClientTransport> { .init(wrapping: grpc) }
    var interactions: Crm_V1_InteractionService.Client<ClientTransport> { .init(wrapping: grpc) }
    var admin: Crm_V1_AdminService.Client<ClientTransport> { .init(wrapping: grpc) }
    var analysis: Crm_V1_AnalysisService.Client<ClientTransport> { .init(wrapping: grpc) }
    var health: Grpc_Health_V1_Health.Client<ClientTransport> { .init(wrapping: grpc) }

    /// Closes the connection: lets in-flight calls finish, then stops.
    func close() async {
        grpc.beginGracefulShutdown()
        // Do not hang a test if the server vanished mid-call.
        let runner = self.runner
        let done = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try? await runner.value
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !done {
            runner.cancel()
            _ = try? await runner.value
        }
    }
}

/// A crmd a test talks to through the real gRPC client: the built binary in a child process
/// (``Daemon``) or the same services in the test process (``InProcessServer``).
protocol RunningServer: Sendable {
    /// The temp folder holding the data folder and the socket.
    var root: String { get }
    var dataDir: String { get }
    var socketPath: String { get }
    /// The connection opened when the server became ready.
    var connection: Connection { get }
    /// Opens another connection (close it yourself).
    func connect() throws -> Connection
}

extension RunningServer {
    var customers: Crm_V1_CustomerService.Client<ClientTransport> { connection.customers }
    var orders: Crm_V1_OrderService.Client<ClientTransport> { connection.orders }
    var interactions: Crm_V1_InteractionService.Client<ClientTransport> { connection.interactions }
    var admin: Crm_V1_AdminService.Client<ClientTransport> { connection.admin }
    var health: Grpc_Health_V1_Health.Client<ClientTransport> { connection.health }
}

/// A `crmd` process started from the built binary on a private temp folder.
///
/// The folder lives directly under `/tmp` with a short name so that the socket
/// path stays far below the 107-byte limit of `sun_path`.
final class Daemon: RunningServer {
    /// The temp folder: `data/` (not created by the harness: crmd must), the socket, logs.
    let root: String
    let dataDir: String
    let socketPath: String
    let logLevel: String
    /// The configuration file crmd is started with (`--config`), if any: `root/crmd.yaml`.
    let configurationPath: String?

    private struct State {
        var process: ChildProcess?
        var connection: Connection?
        var launches = 0
    }

    private let state = Mutex(State())

    private init(root: String, logLevel: String, configuration: String?, dataDir: String?) throws {
        self.root = root
        self.dataDir = dataDir ?? root + "/data"
        self.socketPath = root + "/crmd.sock"
        self.logLevel = logLevel
        if let configuration {
            let path = root + "/crmd.yaml"
            try configuration.write(toFile: path, atomically: true, encoding: .utf8)
            self.configurationPath = path
        } else {
            self.configurationPath = nil
        }
    }

    /// Starts a daemon on a new temp folder and waits until it serves.
    /// - Parameters:
    ///   - configuration: the text of a configuration file to start it with (`--config`).
    ///   - dataDir: the data folder, when not `root/data`.
    static func start(
        logLevel: String = "debug",
        configuration: String? = nil,
        dataDir: String? = nil
    ) async throws -> Daemon {
        let daemon = try Daemon(
            root: try makeTempDirectory(),
            logLevel: logLevel,
            configuration: configuration,
            dataDir: dataDir
        )
        do {
            try await daemon.launch()
        } catch {
            await daemon.stopIgnoringErrors()
            throw error
        }
        return daemon
    }

    static func makeTempDirectory(prefix: String = "crmd") throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw HarnessError("mkdtemp failed: errno \(errno)")
        }
        return String(cString: made)
    }

    /// The connection opened when the daemon became ready.
    var connection: Connection {
        guard let connection = state.withLock({ $0.connection }) else {
            fatalError("daemon at \(root) is not running")
        }
        return connection
    }

    var process: ChildProcess? { state.withLock { $0.process } }

    /// Opens another connection (close it yourself).
    func connect() throws -> Connection {
        try Connection(socketPath: socketPath)
    }

    private func stderrPath(_ launch: Int) -> String { "\(root)/crmd-\(launch).stderr.log" }

    /// Everything the daemon wrote to stderr, over all launches.
    func logs() -> String {
        let launches = state.withLock { $0.launches }
        return (1...max(launches, 1)).map { launch in
            let text = (try? String(contentsOfFile: stderrPath(launch), encoding: .utf8)) ?? ""
            return "=== crmd launch \(launch) stderr (\(stderrPath(launch))) ===\n\(text)"
        }.joined(separator: "\n")
    }

    /// The last `count` characters of the logs, for failure messages.
    func logTail(_ count: Int = 6000) -> String {
        let all = logs()
        return all.count > count ? "…" + String(all.suffix(count)) : all
    }

    /// Starts crmd on this daemon's folders (through ``ManagedCrmd``, without the test run's systemd
    /// variables) and waits (up to 20 s) for health SERVING.
    func launch() async throws {
        let launch = state.withLock { state -> Int in
            state.launches += 1
            return state.launches
        }
        let process = try ManagedCrmd(
            .init(
                arguments: ["--data-dir", dataDir, "--socket", socketPath, "--log-level", logLevel]
                    + (configurationPath.map { ["--config", $0] } ?? []),
                standardOutput: "\(root)/crmd-\(launch).stdout.log",
                standardError: stderrPath(launch)
            )
        ).child
        state.withLock { $0.process = process }
        let connection = try await waitUntilServing(process)
        state.withLock { $0.connection = connection }
    }

    private func waitUntilServing(_ process: ChildProcess) async throws -> Connection {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(20))
        var connection: Connection?
        var lastError = "socket \(socketPath) never appeared"
        while clock.now < deadline {
            if let ended = process.terminated {
                await connection?.close()
                throw HarnessError("crmd exited before serving (\(ended))\n\(logTail())")
            }
            if connection == nil, Self.isSocket(socketPath) {
                connection = try Connection(socketPath: socketPath)
            }
            if let connection {
                do {
                    var options = CallOptions.defaults
                    options.timeout = .seconds(2)
                    let answer = try await connection.health.check(
                        Grpc_Health_V1_HealthCheckRequest(),
                        options: options
                    )
                    if answer.status == .serving {
                        return connection
                    }
                    lastError = "health status \(answer.status)"
                } catch {
                    lastError = "health check: \(error)"
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        await connection?.close()
        process.send(SIGKILL)
        _ = await process.waitForExit(timeout: .seconds(10))
        throw HarnessError("crmd did not serve within 20 s (\(lastError))\n\(logTail())")
    }

    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    /// SIGTERM (or `signal`), then waits for the exit; the daemon must exit 0 within 15 s.
    func stop(signal: Int32 = SIGTERM) async throws {
        let (process, connection) = state.withLock { state in
            defer {
                state.process = nil
                state.connection = nil
            }
            return (state.process, state.connection)
        }
        await connection?.close()
        guard let process else { return }
        process.send(signal)
        guard let ended = await process.waitForExit(timeout: .seconds(15)) else {
            await process.killAndWait()
            throw HarnessError("crmd did not exit within 15 s of signal \(signal)\n\(logTail())")
        }
        guard ended == .exited(0) else {
            throw HarnessError("crmd ended with \(ended) after signal \(signal), expected exit code 0\n\(logTail())")
        }
    }

    /// SIGKILL, as a crash or power cut would; the client connection is dropped.
    func kill9() async {
        let (process, connection) = state.withLock { state in
            defer {
                state.process = nil
                state.connection = nil
            }
            return (state.process, state.connection)
        }
        if let process { await process.killAndWait() }
        await connection?.close()
    }

    /// Starts crmd again on the same data folder and socket path.
    func restart() async throws {
        await kill9()
        try await launch()
    }

    /// Best-effort teardown for error paths.
    func stopIgnoringErrors() async {
        do {
            try await stop()
        } catch {
            await kill9()
        }
    }

    func removeFiles() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs crmctl against this daemon, which it finds through `CRMD_SOCKET`
    /// (``CrmctlTests`` checks the `--socket` flag separately).
    func crmctl(
        _ arguments: [String],
        environment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> CommandResult {
        try await runCrmctl(
            arguments,
            environment: ["CRMD_SOCKET": socketPath].merging(environment) { _, new in new },
            scratch: root,
            timeout: timeout
        )
    }
}

/// Runs the built crmctl.
func runCrmctl(
    _ arguments: [String],
    environment: [String: String] = [:],
    scratch: String,
    timeout: Duration = .seconds(120)
) async throws -> CommandResult {
    let crmctl = BuildProducts.crmctl
    guard FileManager.default.isExecutableFile(atPath: crmctl) else {
        throw HarnessError("no crmctl executable at \(crmctl); build it with `swift build --product crmctl`")
    }
    return try await runCommand(crmctl, arguments, environment: environment, scratch: scratch, timeout: timeout)
}

/// Starts a daemon, runs `body` with it, then stops it with SIGTERM and checks
/// that it exits 0. On failure the daemon's stderr is attached to the issue and
/// its folder is kept; set `CRMD_TEST_LOGS=1` to print the log of every test.
func withDaemon<R>(
    logLevel: String = "debug",
    configuration: String? = nil,
    dataDir: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (Daemon) async throws -> R
) async throws -> R {
    try await DaemonSlots.shared.withSlot {
        try await runWithDaemon(
            logLevel: logLevel,
            configuration: configuration,
            dataDir: dataDir,
            sourceLocation: sourceLocation,
            body
        )
    }
}

private func runWithDaemon<R>(
    logLevel: String,
    configuration: String?,
    dataDir: String?,
    sourceLocation: SourceLocation,
    _ body: (Daemon) async throws -> R
) async throws -> R {
    let daemon = try await Daemon.start(logLevel: logLevel, configuration: configuration, dataDir: dataDir)
    let result: R
    do {
        result = try await body(daemon)
    } catch {
        await daemon.stopIgnoringErrors()
        Issue.record(
            "test threw \(error); daemon folder kept at \(daemon.root)\n\(daemon.logTail())",
            sourceLocation: sourceLocation
        )
        throw error
    }
    do {
        try await daemon.stop()
    } catch {
        Issue.record("clean shutdown failed: \(error)", sourceLocation: sourceLocation)
        return result
    }
    if ProcessInfo.processInfo.environment["CRMD_TEST_LOGS"] == "1" {
        print(daemon.logs())
    }
    daemon.removeFiles()
    return result
}

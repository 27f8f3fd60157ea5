import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import Synchronization
import Testing

/// One start of crmd under a simulated service manager: a temp folder
/// (`data/`, `crmd.sock`, `crmd.yaml`, the logs) and a notification socket
/// the test binds and passes as `NOTIFY_SOCKET`.
final class ServiceRun: Sendable {
    let root: String
    let notify: DatagramListener
    private let current = Mutex<ManagedCrmd?>(nil)

    var dataDir: String { root + "/data" }
    var socketPath: String { root + "/crmd.sock" }
    var configurationPath: String { root + "/crmd.yaml" }
    var standardErrorPath: String { root + "/crmd.stderr.log" }

    /// The flags of a plain start on this folder.
    var flags: [String] { ["--data-dir", dataDir, "--socket", socketPath, "--log-level", "debug"] }

    init() throws {
        // Short: the sockets' paths must fit in sun_path (107 bytes).
        root = try Daemon.makeTempDirectory(prefix: "crmds")
        notify = try DatagramListener(path: root + "/notify")
    }

    /// Starts crmd with `NOTIFY_SOCKET` set to ``notify``.
    /// - Parameters:
    ///   - arguments: crmd's arguments; ``flags`` when nil.
    ///   - environment: more variables for crmd.
    ///   - watchdogPIDIsOwn: set `WATCHDOG_PID` to crmd's pid.
    ///   - runSystemd: see ``ManagedCrmd/Launch/runSystemd``.
    @discardableResult
    func start(
        arguments: [String]? = nil,
        environment: [String: String] = [:],
        watchdogPIDIsOwn: Bool = false,
        runSystemd: String? = nil
    ) throws -> ManagedCrmd {
        let crmd = try ManagedCrmd(
            .init(
                arguments: arguments ?? flags,
                environment: ["NOTIFY_SOCKET": notify.path].merging(environment) { _, new in new },
                watchdogPIDIsOwn: watchdogPIDIsOwn,
                runSystemd: runSystemd,
                currentDirectory: root,
                standardOutput: root + "/crmd.stdout.log",
                standardError: standardErrorPath
            )
        )
        current.withLock { $0 = crmd }
        return crmd
    }

    var crmd: ManagedCrmd {
        guard let crmd = current.withLock({ $0 }) else { fatalError("crmd was not started in \(root)") }
        return crmd
    }

    /// Waits for a notification, at index `after` or later, whose fields satisfy `predicate`.
    func waitForNotification(
        after: Int = 0,
        timeout: Duration = .seconds(20),
        _ predicate: @escaping ([String: String]) -> Bool
    ) async throws -> (index: Int, datagram: DatagramListener.Datagram, fields: [String: String]) {
        let crmd = current.withLock { $0 }
        let (index, datagram) = try await notify.waitFor(
            after: after,
            timeout: timeout,
            sender: crmd
        ) { predicate($0.notification) }
        return (index, datagram, datagram.notification)
    }

    /// Waits for `READY=1` at index `after` or later.
    func waitForReady(
        after: Int = 0
    ) async throws -> (index: Int, datagram: DatagramListener.Datagram, fields: [String: String]) {
        try await waitForNotification(after: after) { $0["READY"] == "1" }
    }

    func writeConfiguration(_ text: String) throws {
        try text.write(toFile: configurationPath, atomically: true, encoding: .utf8)
    }

    /// Waits until crmd's stderr contains `text`.
    func waitForLog(_ text: String, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if crmd.standardError.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return crmd.standardError.contains(text)
    }

    /// Stops crmd with SIGTERM if a test left it running, and closes the listener.
    /// - Returns: how crmd ended when it had to be stopped here; nil if it was not running.
    fileprivate func finish() async -> ChildProcess.Termination?? {
        defer { notify.close() }
        guard let crmd = current.withLock({ $0 }), crmd.child.terminated == nil else { return nil }
        return .some(await crmd.stop())
    }
}

/// Runs `body` with a new ``ServiceRun``. If crmd still runs afterwards it is
/// stopped with SIGTERM and must exit 0. On failure crmd's stderr is attached
/// and the folder kept.
func withServiceRun<R>(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (ServiceRun) async throws -> R
) async throws -> R {
    try await DaemonSlots.shared.withSlot {
        let run = try ServiceRun()
        let result: R
        do {
            result = try await body(run)
        } catch {
            _ = await run.finish()
            Issue.record(
                "test threw \(error); folder kept at \(run.root)\n--- crmd stderr ---\n\((try? String(contentsOfFile: run.standardErrorPath, encoding: .utf8))?.suffix(6000) ?? "")",
                sourceLocation: sourceLocation
            )
            throw error
        }
        if let ended = await run.finish(), ended != .exited(0) {
            let how = ended.map { "with \($0)" } ?? "not within 15 s"
            Issue.record(
                "crmd ended \(how) after SIGTERM, expected exit code 0; folder kept at \(run.root)",
                sourceLocation: sourceLocation
            )
            return result
        }
        try? FileManager.default.removeItem(atPath: run.root)
        return result
    }
}

extension Connection {
    /// The health `Check` without waiting for the connection to become ready:
    /// it fails unless the socket accepts calls now.
    func servingStatusNow() async throws -> Grpc_Health_V1_HealthCheckResponse.ServingStatus {
        var options = CallOptions.defaults
        options.waitForReady = false
        options.timeout = .seconds(10)
        return try await health.check(Grpc_Health_V1_HealthCheckRequest(), options: options).status
    }

    func createCustomer(named displayName: String) async throws -> Crm_V1_Customer {
        var request = Crm_V1_CreateCustomerRequest()
        request.customer = Fixture.customer(displayName)
        return try await customers.createCustomer(request)
    }

    func getCustomer(named name: String) async throws -> Crm_V1_Customer {
        var request = Crm_V1_GetCustomerRequest()
        request.name = name
        return try await customers.getCustomer(request)
    }
}

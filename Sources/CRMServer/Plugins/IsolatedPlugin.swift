import CRMPluginABI
import CRMPluginWire
import GRPCCore
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A plugin served by plugin-host processes (`crmd-plugin-host`): the default for every plugin.
///
/// A small pool: each process runs one call at a time; processes start on demand up to the plugin's
/// `workers` (one for a SERIAL plugin), each running `init` with the plugin's configuration once. A process
/// that dies mid-call (a crash, an abort, a memory limit, an exit) ends that call with UNAVAILABLE and is
/// replaced; a cancelled call whose plugin does not stop within the grace period gets its process killed.
/// Neither touches crmd or the other processes.
final class IsolatedPlugin: PluginRunner {
    /// What every process of the plugin is started with.
    struct Launch: Sendable {
        var executable: String
        var library: String
        /// The `crm.plugin.v1.PluginConfig` bytes for `init`.
        var config: [UInt8]
        var memoryLimit: UInt64
        var cpuLimit: UInt64
        var workers: Int
        var initTimeout: Duration
        var cancelGrace: Duration
    }

    let name: String
    var isIsolated: Bool { true }
    private let launch: Launch
    private let logger: Logger
    private let pool = Mutex(Pool())

    private struct Pool {
        var idle: [PluginWorker] = []
        var all: [ObjectIdentifier: PluginWorker] = [:]
        /// Processes being started (spawned, not yet through `init`).
        var starting = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Result<PluginWorker, PluginFailure>, Never>)] = []
        var nextWaiter: UInt64 = 1
        var closed = false
    }

    private init(name: String, launch: Launch, logger: Logger) {
        self.name = name
        self.launch = launch
        var logger = logger
        logger[metadataKey: "plugin"] = "\(name)"
        self.logger = logger
    }

    /// Takes over the process that reported the library at load (`first`, which said LOADED), runs `init`
    /// and `describe` in it, and returns the plugin with the describe bytes; or the reason it cannot be used.
    static func start(
        name: String,
        first: PluginWorker,
        launch: Launch,
        logger: Logger
    ) async -> Result<(IsolatedPlugin, [UInt8]), PluginFailure> {
        let plugin = IsolatedPlugin(name: name, launch: launch, logger: logger)
        first.attribute(to: name)
        plugin.adopt(first)
        if let failure = await plugin.initialise(first) {
            await plugin.retire(first)
            return .failure(failure)
        }
        let reply = await first.call(
            CRM_METHOD_DESCRIBE,
            request: [],
            call: PluginCall(),
            grace: launch.cancelGrace,
            timeout: launch.initTimeout
        )
        switch plugin.outcome(of: reply, method: CRM_METHOD_DESCRIBE) {
        case .success(let bytes):
            plugin.release(first)
            return .success((plugin, bytes))
        case .failure(var failure):
            if !failure.isHostMessage {
                failure = PluginFailure(
                    failure.rpcCode,
                    hostMessage: "describe failed (\(failure.rpcCode)): \(failure.message)"
                )
            }
            await plugin.retire(first)
            return .failure(failure)
        }
    }

    /// The processes serving the plugin now (idle or busy).
    var processCount: Int { pool.withLock { $0.all.count } }

    // MARK: - Calls

    func run(_ method: String, request: [UInt8], call: PluginCall) async -> Result<[UInt8], PluginFailure> {
        let worker: PluginWorker
        switch await acquire(for: call) {
        case .failure(let failure): return .failure(failure)
        case .success(let acquired): worker = acquired
        }
        let reply = await worker.call(method, request: request, call: call, grace: launch.cancelGrace)
        if case .ended(let end) = reply, end.kill != nil, call.isCancelled {
            // Killed after a cancellation, whichever timer fired first (the call's or the stop's).
            return .failure(
                PluginFailure(
                    .cancelled,
                    hostMessage: "plugin \(name): \(method) was cancelled and did not stop within "
                        + "\(describeDuration(launch.cancelGrace)); its process was killed"
                        + (pool.withLock { $0.closed } ? "" : "; restarted")
                )
            )
        }
        let outcome = outcome(of: reply, method: method)
        if case .frame = reply { release(worker) }
        return outcome
    }

    /// The answer a call's reply stands for.
    private func outcome(of reply: PluginWorker.Reply, method: String) -> Result<[UInt8], PluginFailure> {
        switch reply {
        case .frame(let frame):
            var reader = WireReader(frame.payload)
            guard frame.kind == .result, let status = try? reader.int32() else {
                return .failure(PluginFailure(.internalError, hostMessage: "plugin \(name): malformed answer"))
            }
            let bytes = reader.rest()
            if status == CRM_STATUS_OK { return .success(bytes) }
            return .failure(PluginFailure(status: status, message: String(decoding: bytes, as: UTF8.self)))
        case .ended(let end):
            return .failure(failure(after: end, during: method))
        }
    }

    /// What a caller is told when the process serving its call ended.
    private func failure(after end: PluginProcessEnd, during method: String) -> PluginFailure {
        let closed = pool.withLock { $0.closed }
        let restarted = closed ? "" : "; restarted"
        switch end.kill {
        case .cancelled(let grace):
            return PluginFailure(
                .cancelled,
                hostMessage: "plugin \(name): \(method) was cancelled and did not stop within "
                    + "\(describeDuration(grace)); its process was killed\(restarted)"
            )
        case .timeout(let what, let limit):
            return PluginFailure(.unavailable, hostMessage: "\(what) did not finish within \(describeDuration(limit))")
        case .stopping:
            return PluginFailure(.unavailable, hostMessage: "plugin \(name): crmd is stopping")
        case .protocolError(let problem):
            return PluginFailure(.internalError, hostMessage: "plugin \(name): its host process failed: \(problem)")
        case nil:
            var hint = ""
            if case .signalled(SIGXCPU) = end.status, launch.cpuLimit > 0 {
                hint = ": over its CPU limit of \(launch.cpuLimit) s per call"
            }
            return PluginFailure(.unavailable, hostMessage: "plugin \(name) crashed (\(end)\(hint))\(restarted)")
        }
    }

    // MARK: - The pool

    /// An idle process, or a new one if the plugin has fewer than `workers`; otherwise waits for one.
    private func acquire(for call: PluginCall) async -> Result<PluginWorker, PluginFailure> {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<PluginWorker, PluginFailure>, Never>) in
            let waiter: UInt64? = pool.withLock { pool in
                if pool.closed {
                    continuation.resume(returning: .failure(stopping))
                    return nil
                }
                if let worker = pool.idle.popLast() {
                    continuation.resume(returning: .success(worker))
                    return nil
                }
                let id = pool.nextWaiter
                pool.nextWaiter += 1
                pool.waiters.append((id, continuation))
                return id
            }
            guard let waiter else { return }
            call.onCancel { [self] in abandon(waiter) }
            pump()
        }
        call.onCancel(nil)
        return result
    }

    private var stopping: PluginFailure {
        PluginFailure(.unavailable, hostMessage: "plugin \(name): crmd is stopping")
    }

    /// A waiting call was cancelled before it got a process.
    private func abandon(_ waiter: UInt64) {
        let continuation = pool.withLock { pool in
            pool.waiters.firstIndex { $0.id == waiter }.map { pool.waiters.remove(at: $0).continuation }
        }
        continuation?.resume(
            returning: .failure(PluginFailure(.cancelled, hostMessage: "plugin \(name): cancelled while waiting"))
        )
    }

    /// Counts `worker` in the pool, and hears of its end (a crash frees its place and starts a replacement).
    private func adopt(_ worker: PluginWorker) {
        pool.withLock { $0.all[ObjectIdentifier(worker)] = worker }
        worker.whenEnded { [weak self] worker in self?.ended(worker) }
    }

    /// A process whose call ended is free again.
    private func release(_ worker: PluginWorker) {
        let keep = pool.withLock { pool in
            guard !pool.closed, !worker.hasEnded, pool.all[ObjectIdentifier(worker)] != nil else { return false }
            pool.idle.append(worker)
            return true
        }
        if keep {
            pump()
        } else {
            Task { await retire(worker) }
        }
    }

    /// Stops a process crmd no longer wants.
    private func retire(_ worker: PluginWorker) async {
        pool.withLock { pool in
            pool.all[ObjectIdentifier(worker)] = nil
            pool.idle.removeAll { $0 === worker }
        }
        _ = await worker.stop(grace: launch.cancelGrace)
    }

    /// Gives idle processes to waiting calls, and starts processes for the calls still waiting.
    private func pump() {
        var handoffs: [(CheckedContinuation<Result<PluginWorker, PluginFailure>, Never>, PluginWorker)] = []
        let starts: Int = pool.withLock { pool in
            while !pool.waiters.isEmpty, let worker = pool.idle.popLast() {
                handoffs.append((pool.waiters.removeFirst().continuation, worker))
            }
            guard !pool.closed else { return 0 }
            let wanted = min(pool.waiters.count - pool.starting, launch.workers - pool.all.count - pool.starting)
            guard wanted > 0 else { return 0 }
            pool.starting += wanted
            return wanted
        }
        for (continuation, worker) in handoffs { continuation.resume(returning: .success(worker)) }
        for _ in 0..<starts { Task { await grow() } }
    }

    /// Starts one process and adds it to the pool; when that fails, every waiting call fails with the reason
    /// (retrying for each would start a storm of processes that fail the same way).
    private func grow() async {
        let result = await startWorker()
        var failed: [CheckedContinuation<Result<PluginWorker, PluginFailure>, Never>] = []
        let unwanted: PluginWorker? = pool.withLock { pool in
            pool.starting -= 1
            switch result {
            case .success(let worker):
                if pool.closed { return worker }
                if !worker.hasEnded {
                    pool.all[ObjectIdentifier(worker)] = worker
                    pool.idle.append(worker)
                }
            case .failure:
                failed = pool.waiters.map(\.continuation)
                pool.waiters = []
            }
            return nil
        }
        if case .failure(let failure) = result {
            logger.error("plugin process could not be started", metadata: ["reason": "\(failure.message)"])
            let answer = PluginFailure(
                .unavailable,
                hostMessage: "plugin \(name) could not be restarted: \(failure.message)"
            )
            for continuation in failed { continuation.resume(returning: .failure(answer)) }
        }
        if let unwanted { _ = await unwanted.stop(grace: launch.cancelGrace) }
        if case .success(let worker) = result, unwanted == nil {
            // After it joined the pool: an end before would find it unknown and be ignored.
            worker.whenEnded { [weak self] worker in self?.ended(worker) }
        }
        pump()
    }

    /// Spawns a process, checks it loaded the same plugin, and runs `init`.
    private func startWorker() async -> Result<PluginWorker, PluginFailure> {
        let spawned = await PluginWorker.spawn(
            executable: launch.executable,
            library: launch.library,
            memoryLimit: launch.memoryLimit,
            logger: logger
        )
        guard case .success(let worker) = spawned else { return spawned }
        let reply = await worker.reply(to: nil, within: launch.initTimeout, what: "loading the library")
        let loadedName: String?
        switch reply {
        case .frame(let frame) where frame.kind == .loaded:
            loadedName = (try? PluginSummary(payload: frame.payload))?.name
        case .frame(let frame) where frame.kind == .refused:
            var reader = WireReader(frame.payload)
            _ = try? reader.text()
            return .failure(
                PluginFailure(.unavailable, hostMessage: "refused: \(String(decoding: reader.rest(), as: UTF8.self))")
            )
        case .frame:
            loadedName = nil
        case .ended(let end):
            return .failure(failure(after: end, during: "loading the library"))
        }
        guard loadedName == name else {
            worker.kill(.protocolError("the library no longer declares \(name)"))
            return .failure(PluginFailure(.unavailable, hostMessage: "\(launch.library) no longer declares \(name)"))
        }
        if let failure = await initialise(worker) {
            _ = await worker.stop(grace: launch.cancelGrace)
            return .failure(failure)
        }
        return .success(worker)
    }

    /// INIT with the limits and the configuration; `nil` when `init` succeeded.
    private func initialise(_ worker: PluginWorker) async -> PluginFailure? {
        var writer = WireWriter(capacity: 16 + launch.config.count)
        writer.append(launch.memoryLimit)
        writer.append(launch.cpuLimit)
        writer.append(launch.config)
        let reply = await worker.reply(
            to: PluginFrame(.initialise, payload: writer.bytes),
            within: launch.initTimeout,
            what: "init"
        )
        switch reply {
        case .frame(let frame) where frame.kind == .initialised:
            var reader = WireReader(frame.payload)
            guard let status = try? reader.int32() else {
                return PluginFailure(.internalError, hostMessage: "malformed INIT_DONE frame")
            }
            if status == CRM_STATUS_OK { return nil }
            let failure = PluginFailure(status: status, message: String(decoding: reader.rest(), as: UTF8.self))
            return PluginFailure(failure.rpcCode, hostMessage: "init failed (\(failure.rpcCode)): \(failure.message)")
        case .frame(let frame):
            worker.kill(.protocolError("a \(frame.kind) frame answered INIT"))
            return PluginFailure(.internalError, hostMessage: "the plugin host answered INIT with \(frame.kind)")
        case .ended(let end):
            if case .timeout = end.kill { return failure(after: end, during: "init") }
            return PluginFailure(.unavailable, hostMessage: "init crashed (\(end))")
        }
    }

    /// The reader thread of `worker` saw its process end.
    private func ended(_ worker: PluginWorker) {
        let (known, restart) = pool.withLock { pool -> (Bool, Bool) in
            let known = pool.all.removeValue(forKey: ObjectIdentifier(worker)) != nil
            pool.idle.removeAll { $0 === worker }
            // Keep one process ready after a crash, so that "restarted" is true and the next call is fast.
            guard known, !pool.closed, pool.all.isEmpty, pool.starting == 0 else { return (known, false) }
            pool.starting += 1
            return (known, true)
        }
        if restart { Task { await grow() } }
        if known { pump() }
    }

    // MARK: - Stopping

    func shutdown() async -> Bool {
        let (workers, waiters) = pool.withLock { pool in
            pool.closed = true
            defer { pool.waiters = [] }
            return (Array(pool.all.values), pool.waiters.map(\.continuation))
        }
        for waiter in waiters { waiter.resume(returning: .failure(stopping)) }
        let grace = launch.cancelGrace
        return await withTaskGroup(of: Bool.self) { group in
            for worker in workers {
                group.addTask { await worker.stop(grace: grace).isClean }
            }
            return await group.reduce(true) { $0 && $1 }
        }
    }
}

import CRMPluginABI
import CRMPluginWire
import Dispatch
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One plugin-host process (`crmd-plugin-host`) and crmd's end of its socketpair.
///
/// A dedicated reader thread takes every frame off the socket (never Swift's cooperative pool: a read
/// blocks), logs the plugin's `log` lines, forwards progress, and hands the one awaited reply to the task
/// waiting for it. Writes go through a serial dispatch queue of their own, so that a large request never
/// blocks a pool thread either. When the stream ends the reader reaps the process and ends whatever waits.
final class PluginWorker: Sendable {
    /// What a task waiting on the worker gets: the reply frame, or the end of the process.
    enum Reply: Sendable {
        case frame(PluginFrame)
        case ended(PluginProcessEnd)
    }

    let pid: pid_t
    private let socket: FrameSocket
    private let writes: DispatchQueue
    private let state: Mutex<State>

    private struct State {
        var logger: Logger
        var waiting: Waiting?
        /// A reply that came before anyone waited for it (the unasked LOADED or REFUSED).
        var early: PluginFrame?
        var end: PluginProcessEnd?
        var endWaiters: [CheckedContinuation<PluginProcessEnd, Never>] = []
        var reaped = false
        var kill: PluginProcessEnd.Kill?
        var nextCallID: UInt64 = 1
        var nextToken: UInt64 = 1
        var socketClosed = false
        /// Told once the process is reaped (the pool that owns the process).
        var onEnd: (@Sendable (PluginWorker) -> Void)?
    }

    private struct Waiting {
        var token: UInt64
        /// For a CALL: the id its RESULT and PROGRESS frames carry.
        var callID: UInt64?
        var progress: (@Sendable (Double, String?) -> Void)?
        var continuation: CheckedContinuation<Reply, Never>
    }

    /// Starts `executable` for `library`. `memoryLimit` bounds the process while it loads the library (the
    /// plugin's own limit comes with INIT).
    static func spawn(
        executable: String,
        library: String,
        memoryLimit: UInt64,
        logger: Logger
    ) async -> Result<PluginWorker, PluginFailure> {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            return .failure(
                PluginFailure(.unavailable, hostMessage: "socketpair failed: \(String(cString: strerror(errno)))")
            )
        }
        let arguments = [executable, "--parent", "\(getpid())", "--memory", "\(memoryLimit)", library]
        switch await PluginSpawn.start(arguments, socket: ends[1]) {
        case .failure(let failure):
            close(ends[0])
            close(ends[1])
            return .failure(failure)
        case .success(let pid):
            close(ends[1])
            let worker = PluginWorker(pid: pid, socket: ends[0], logger: logger)
            worker.startReader()
            return .success(worker)
        }
    }

    private init(pid: pid_t, socket: Int32, logger: Logger) {
        self.pid = pid
        self.socket = FrameSocket(descriptor: socket)
        self.writes = DispatchQueue(label: "crmd-plugin-write-\(pid)")
        var logger = logger
        logger[metadataKey: "plugin_pid"] = "\(pid)"
        self.state = Mutex(State(logger: logger))
    }

    /// Runs `handler` (on the reader thread) once the process is reaped; at once if it already is.
    func whenEnded(_ handler: @escaping @Sendable (PluginWorker) -> Void) {
        let ended = state.withLock { state in
            if state.end == nil { state.onEnd = handler }
            return state.end != nil
        }
        if ended { handler(self) }
    }

    /// Names the plugin in the log lines of this process, once LOADED told crmd its name.
    func attribute(to name: String) {
        state.withLock { $0.logger[metadataKey: "plugin"] = "\(name)" }
    }

    var hasEnded: Bool { state.withLock { $0.end != nil } }

    // MARK: - Exchanges

    /// Sends `frame` (nothing when `nil`: the first reply comes unasked) and waits for the reply. Past
    /// `timeout`, the process is killed with `Kill.timeout(what)` and the reply is its end.
    func reply(to frame: PluginFrame?, within timeout: Duration, what: String) async -> Reply {
        await exchange(frame, callID: nil, progress: nil) { token in
            Task {
                try await Task.sleep(for: timeout)
                self.kill(.timeout(what: what, after: timeout), ifWaiting: token)
            }
        }
    }

    /// Runs one method: sends CALL and waits for its RESULT. When `call` is cancelled, a CANCEL frame makes
    /// the plugin's `is_cancelled` true; if the call has not ended `grace` later, the process is killed.
    /// `timeout`, when given, bounds the whole call (for `describe` at load).
    func call(
        _ method: String,
        request: [UInt8],
        call: PluginCall,
        grace: Duration,
        timeout: Duration? = nil
    ) async -> Reply {
        let callID = state.withLock { state in
            defer { state.nextCallID += 1 }
            return state.nextCallID
        }
        var writer = WireWriter(capacity: 8 + method.utf8.count + request.count)
        writer.appendText(method)
        writer.append(request)
        let frame = PluginFrame(.call, callID: callID, payload: writer.bytes)
        let reply = await exchange(frame, callID: callID, progress: call.report) { token in
            call.onCancel { [self] in
                self.send(PluginFrame(.cancel, callID: callID))
                Task {
                    try await Task.sleep(for: grace)
                    self.kill(.cancelled(after: grace), ifWaiting: token)
                }
            }
            guard let timeout else { return nil }
            return Task {
                try await Task.sleep(for: timeout)
                self.kill(.timeout(what: method, after: timeout), ifWaiting: token)
            }
        }
        call.onCancel(nil)
        return reply
    }

    /// Registers the waiter, then sends: the reply cannot overtake its waiter. `arm` starts the timers of
    /// this exchange (given its token); the returned task is cancelled when the reply is in.
    private func exchange(
        _ frame: PluginFrame?,
        callID: UInt64?,
        progress: (@Sendable (Double, String?) -> Void)?,
        arm: (UInt64) -> Task<Void, any Error>?
    ) async -> Reply {
        var timer: Task<Void, any Error>?
        let reply = await withCheckedContinuation { (continuation: CheckedContinuation<Reply, Never>) in
            enum Now {
                case resume(Reply)
                case wait(UInt64)
            }
            let now: Now = state.withLock { state in
                // A frame that came before anyone waited (a REFUSED, then the host exited) is the answer,
                // even when the process has ended since: it must win over the end.
                if frame == nil, let early = state.early {
                    state.early = nil
                    return .resume(.frame(early))
                }
                if let end = state.end { return .resume(.ended(end)) }
                precondition(state.waiting == nil, "one exchange at a time per plugin-host process")
                let token = state.nextToken
                state.nextToken += 1
                state.waiting = Waiting(token: token, callID: callID, progress: progress, continuation: continuation)
                return .wait(token)
            }
            switch now {
            case .resume(let reply):
                continuation.resume(returning: reply)
            case .wait(let token):
                if let frame { send(frame) }
                timer = arm(token)
            }
        }
        timer?.cancel()
        return reply
    }

    /// Queues `frame` for writing; dropped once the process has ended.
    func send(_ frame: PluginFrame) {
        let bytes = frame.encoded
        writes.async { [self] in
            guard !state.withLock({ $0.socketClosed }) else { return }
            // A failed write means the process is going; the reader sees the end of the stream.
            try? socket.write(bytes)
        }
    }

    // MARK: - Ending

    /// SIGKILL, unless the process is already reaped (its pid may belong to another process by then). The
    /// first reason given is the one reported.
    func kill(_ reason: PluginProcessEnd.Kill) {
        state.withLock { state in
            guard !state.reaped else { return }
            if state.kill == nil { state.kill = reason }
            _ = Glibc.kill(pid, SIGKILL)
        }
    }

    private func kill(_ reason: PluginProcessEnd.Kill, ifWaiting token: UInt64) {
        let waiting = state.withLock { $0.waiting?.token == token }
        if waiting { kill(reason) }
    }

    /// Asks the process to call `shutdown` and exit (STOP); kills it if it has not ended after `grace`.
    func stop(grace: Duration) async -> PluginProcessEnd {
        send(PluginFrame(.stop))
        let timer = Task {
            try await Task.sleep(for: grace)
            self.kill(.stopping)
        }
        let end = await waitForEnd()
        timer.cancel()
        return end
    }

    func waitForEnd() async -> PluginProcessEnd {
        await withCheckedContinuation { continuation in
            let end: PluginProcessEnd? = state.withLock { state in
                if let end = state.end { return end }
                state.endWaiters.append(continuation)
                return nil
            }
            if let end { continuation.resume(returning: end) }
        }
    }

    // MARK: - The reader thread

    private func startReader() {
        let thread = Thread { [self] in readFrames() }
        thread.name = "crmd-plugin-read-\(pid)"
        thread.stackSize = 512 << 10
        thread.start()
    }

    private func readFrames() {
        while true {
            let frame: PluginFrame?
            do {
                frame = try socket.read()
            } catch {
                kill(.protocolError("\(error)"))
                break
            }
            guard let frame else { break }
            handle(frame)
        }
        finish(reap())
    }

    private func handle(_ frame: PluginFrame) {
        switch frame.kind {
        case .log:
            var reader = WireReader(frame.payload)
            guard let level = try? reader.int32() else { return }
            let message = String(decoding: reader.rest(), as: UTF8.self)
            state.withLock { $0.logger }.log(level: Self.logLevel(level), "\(message)")
        case .progress:
            var reader = WireReader(frame.payload)
            guard let bits = try? reader.uint64(), let hasMessage = try? reader.uint8() else { return }
            let message = hasMessage == 0 ? nil : String(decoding: reader.rest(), as: UTF8.self)
            let progress = state.withLock { $0.waiting?.callID == frame.callID ? $0.waiting?.progress : nil }
            progress?(Double(bitPattern: bits), message)
        case .loaded, .refused, .initialised, .result:
            let waiting: Waiting? = state.withLock { state in
                guard let waiting = state.waiting else {
                    if state.early == nil { state.early = frame }
                    return nil
                }
                // A RESULT of an earlier call (it raced with its own kill) is no answer to this one.
                if let callID = waiting.callID, frame.kind != .result || frame.callID != callID { return nil }
                state.waiting = nil
                return waiting
            }
            waiting?.continuation.resume(returning: .frame(frame))
        case .initialise, .call, .cancel, .stop:
            kill(.protocolError("the plugin host sent a \(frame.kind) frame, which only crmd sends"))
        }
    }

    /// Collects the exit status. The stream usually ends because the process is exiting; a process that
    /// closed its socket and lives on is killed after a second.
    private func reap() -> PluginProcessEnd {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(1))
        while true {
            var status: Int32 = 0
            let reaped: PluginProcessEnd? = state.withLock { state in
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid {
                    state.reaped = true
                    return PluginProcessEnd(waitStatus: status, kill: state.kill)
                }
                if result == -1 && errno == ECHILD {
                    state.reaped = true
                    return PluginProcessEnd(waitStatus: nil, kill: state.kill)
                }
                return nil
            }
            if let reaped { return reaped }
            if clock.now > deadline { kill(.protocolError("it closed its socket but did not exit")) }
            usleep(2000)
        }
    }

    private func finish(_ end: PluginProcessEnd) {
        let logger = state.withLock { $0.logger }
        switch end.kill {
        case nil where end.isClean:
            logger.debug("plugin process ended")
        case nil:
            logger.error("plugin process crashed", metadata: ["status": "\(end)"])
        case .some(let reason):
            logger.warning("plugin process killed", metadata: ["reason": "\(reason)", "status": "\(end)"])
        }
        let (waiting, endWaiters, onEnd) = state.withLock { state in
            state.end = end
            defer {
                state.waiting = nil
                state.endWaiters = []
                state.onEnd = nil
            }
            return (state.waiting, state.endWaiters, state.onEnd)
        }
        writes.async { [self] in
            state.withLock { $0.socketClosed = true }
            close(socket.descriptor)
        }
        waiting?.continuation.resume(returning: .ended(end))
        for waiter in endWaiters { waiter.resume(returning: end) }
        onEnd?(self)
    }

    static func logLevel(_ level: Int32) -> Logger.Level {
        switch level {
        case ...CRM_LOG_TRACE: .trace
        case CRM_LOG_DEBUG: .debug
        case CRM_LOG_INFO: .info
        case CRM_LOG_NOTICE: .notice
        case CRM_LOG_WARNING: .warning
        case CRM_LOG_ERROR: .error
        default: .critical
        }
    }
}

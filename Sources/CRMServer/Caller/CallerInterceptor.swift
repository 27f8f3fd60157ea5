import CRMCore
public import GRPCCore
public import Logging
import SwiftProtobuf

/// Decides whether a caller may make a call. The access-control issue
/// replaces ``AllowEveryCaller`` with a policy keyed on uid and group.
public protocol CallPolicy: Sendable {
    /// Throws a ``CRMError`` with code `permissionDenied` to refuse the call. Runs on Swift's cooperative
    /// pool: work that may wait (a directory lookup) belongs on a thread of its own (``onOwnThread``).
    func check(_ caller: Caller, method: MethodDescriptor) async throws
}

/// Lets every local caller through; the socket's mode (0660) is the only fence.
public struct AllowEveryCaller: CallPolicy {
    public init() {}
    public func check(_ caller: Caller, method: MethodDescriptor) throws {}
}

/// The one place every RPC passes through: it knows the caller, asks the
/// ``CallPolicy``, checks the time fields of every request message
/// (``TimeFieldCheck``), makes the caller available as ``Caller/current`` to
/// the service, and logs the call with its outcome.
public struct CallerInterceptor<Policy: CallPolicy>: ServerInterceptor {
    let policy: Policy
    let logger: Logger
    /// Calls in progress per caller uid (`limits.calls_per_caller`).
    let calls: Admission<UInt32>

    public init(policy: Policy, logger: Logger, callsPerCaller: Int = ServerLimits().callsPerCaller) {
        self.policy = policy
        self.logger = logger
        self.calls = Admission(limit: callsPerCaller, setting: "limits.calls_per_caller")
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let started = ContinuousClock.now
        // The HTTP/2 path of the call, as gRPC names it: /package.Service/Method.
        let method = "/" + context.descriptor.fullyQualifiedMethod
        guard let caller = Self.caller(from: request.metadata) else {
            logger.error("refused a call without peer credentials", metadata: ["rpc": "\(method)"])
            throw RPCError(code: .permissionDenied, message: "the caller's credentials could not be read")
        }
        var logger = self.logger
        logger[metadataKey: "rpc"] = "\(method)"
        logger[metadataKey: "peer_uid"] = "\(caller.uid)"
        logger[metadataKey: "peer_pid"] = "\(caller.pid)"
        let callLogger = logger

        do {
            try await policy.check(caller, method: context.descriptor)
            try calls.take(for: caller.uid, what: "calls at once from uid \(caller.uid)")
            // Given back when the call ends: for a streaming answer, when its producer ends or
            // is dropped unrun.
            let slot = AdmissionSlot(calls, key: caller.uid)
            var request = request
            if Input.self is any SwiftProtobuf.Message.Type {
                request.messages = RPCAsyncSequence(
                    wrapping: request.messages.map { message in
                        // Every time field of every request message, streamed ones included.
                        if let message = message as? any SwiftProtobuf.Message { try TimeFieldCheck.check(message) }
                        return message
                    }
                )
            }
            // Who the change log names for every write of this call.
            let actor = ChangeActor(
                uid: caller.uid,
                gid: caller.gid,
                pid: caller.pid,
                executable: caller.executable,
                method: method
            )
            var response = try await Caller.$current.withValue(caller) {
                try await ChangeActor.$current.withValue(actor) { try await next(request, context) }
            }
            // Streaming responses are produced after `next` returns: keep the
            // caller, the error mapping and the log around the producer too.
            if case .success(var contents) = response.accepted {
                let producer = contents.producer
                contents.producer = { writer in
                    defer { slot.release() }
                    do {
                        let trailers = try await Caller.$current.withValue(caller) {
                            try await ChangeActor.$current.withValue(actor) { try await producer(writer) }
                        }
                        Self.logOutcome(callLogger, started: started, error: nil)
                        return trailers
                    } catch {
                        Self.logOutcome(
                            callLogger,
                            started: started,
                            error: error,
                            cancelled: context.cancellation.isCancelled
                        )
                        throw ErrorBounds.bounded(error)
                    }
                }
                response.accepted = .success(contents)
            } else {
                slot.release()
                Self.logOutcome(callLogger, started: started, error: nil)
            }
            return response
        } catch {
            Self.logOutcome(callLogger, started: started, error: error, cancelled: context.cancellation.isCancelled)
            throw ErrorBounds.bounded(error)
        }
    }

    static func caller(from metadata: Metadata) -> Caller? {
        func value(_ key: String) -> String? {
            for case .string(let text) in metadata[key] { return text }
            return nil
        }
        guard let uid = value(PeerCredentialsHandler.uidKey).flatMap(UInt32.init),
            let gid = value(PeerCredentialsHandler.gidKey).flatMap(UInt32.init),
            let pid = value(PeerCredentialsHandler.pidKey).flatMap(Int32.init)
        else { return nil }
        return Caller(uid: uid, gid: gid, pid: pid, executable: value(PeerCredentialsHandler.executableKey) ?? "")
    }

    static func logOutcome(
        _ logger: Logger,
        started: ContinuousClock.Instant,
        error: (any Error)?,
        cancelled: Bool = false
    ) {
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        var logger = logger
        logger[metadataKey: "duration_us"] = "\(micros)"
        guard let error else {
            logger.debug("rpc ok")
            return
        }
        let converted = RPCError(converting: error)
        let code = converted?.code
        // Internal errors are logged whole below; for the others this is what the client was told.
        let message = converted?.message ?? "\(error)"
        if cancelled {
            // The client cancelled or went away, or its deadline passed: nothing for an operator to do.
            logger.debug("rpc cancelled by the client", metadata: ["error": "\(message)"])
            return
        }
        switch code {
        case .internalError?, .unknown?, .dataLoss?, nil:
            logger.error("rpc failed", metadata: ["code": "\(code.map { "\($0)" } ?? "-")", "error": "\(error)"])
        case .unavailable?, .resourceExhausted?:
            // A full disk, a limit reached, a crashed plugin: an operator may want to know.
            logger.warning("rpc refused", metadata: ["code": "\(code!)", "error": "\(message)"])
        case let code?:
            logger.debug("rpc refused", metadata: ["code": "\(code)", "error": "\(message)"])
        }
    }
}

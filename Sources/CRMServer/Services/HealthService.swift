public import CRMProto
public import GRPCCore
import Synchronization

/// The standard `grpc.health.v1.Health` service. The daemon serves ""
/// (overall) and each of its services by full name; all share one status,
/// which turns NOT_SERVING when shutdown begins so that Watch streams end
/// and load balancers or supervisors stop sending work.
public final class HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol, Sendable {
    typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private struct State {
        var status: Status = .serving
        var watchers: [Int: AsyncStream<Status>.Continuation] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())
    private let services: Set<String>

    /// - Parameter services: full names of the services that answer, e.g. `crm.v1.CustomerService`.
    public init(services: [String]) {
        self.services = Set(services + [""])
    }

    /// Marks every service NOT_SERVING and ends the Watch streams.
    public func markShuttingDown() {
        let watchers = state.withLock { state in
            state.status = .notServing
            defer { state.watchers = [:] }
            return state.watchers.values
        }
        for watcher in watchers {
            watcher.yield(.notServing)
            watcher.finish()
        }
    }

    public func check(
        request: Grpc_Health_V1_HealthCheckRequest,
        context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard services.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \(request.service)")
        }
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = state.withLock { $0.status }
        return response
    }

    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        var message = Grpc_Health_V1_HealthCheckResponse()
        guard services.contains(request.service) else {
            message.status = .serviceUnknown
            try await response.write(message)
            return
        }
        let (stream, continuation) = AsyncStream<Status>.makeStream()
        let current: Status = state.withLock { state in
            if state.status == .serving {
                let id = state.nextID
                state.nextID += 1
                state.watchers[id] = continuation
                continuation.onTermination = { [weak self] _ in
                    _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
                }
            } else {
                continuation.finish()
            }
            return state.status
        }
        message.status = current
        try await response.write(message)
        // grpc-swift does not cancel the handler's task when the client cancels or goes away: end
        // the stream then, or every abandoned Watch would hold a call slot for ever.
        try await withRPCCancellationHandler {
            for await status in stream {
                message.status = status
                try await response.write(message)
            }
        } onCancelRPC: {
            continuation.finish()
        }
    }
}

public import GRPCCore
import GRPCNIOTransportHTTP2
public import Logging
import NIOCore
public import ServiceLifecycle

/// Where the daemon accepts connections.
public enum Listener: Sendable, Hashable {
    /// Bind this path (a stale socket file is replaced, a live one is not).
    case path(String)
    /// Serve on a socket inherited from systemd (socket activation); its path is only for logs and status.
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

/// Serves gRPC on the Unix socket until graceful shutdown, then stops taking calls and lets the ones in
/// flight finish. The transport's settings and the per-connection handlers (peer credentials, request
/// size) are here; the services and interceptors come from whoever builds the daemon.
public struct GRPCServerRunner: Service {
    let listener: Listener
    let services: [any RegistrableRPCService]
    let interceptors: [any ServerInterceptor]
    let limits: ServerLimits
    let logger: Logger
    let whenListening: @Sendable () async -> Void
    let beforeDrain: @Sendable () -> Void

    /// - Parameters:
    ///   - listener: the socket to serve on.
    ///   - services: what to serve.
    ///   - interceptors: run on every call, in order.
    ///   - limits: connections, streams, message sizes, idle time.
    ///   - logger: for refused connections.
    ///   - whenListening: called once the socket accepts connections (readiness).
    ///   - beforeDrain: called when graceful shutdown begins, before in-flight calls are waited for.
    public init(
        listener: Listener,
        services: [any RegistrableRPCService],
        interceptors: [any ServerInterceptor],
        limits: ServerLimits,
        logger: Logger,
        whenListening: @escaping @Sendable () async -> Void = {},
        beforeDrain: @escaping @Sendable () -> Void = {}
    ) {
        self.listener = listener
        self.services = services
        self.interceptors = interceptors
        self.limits = limits
        self.logger = logger
        self.whenListening = whenListening
        self.beforeDrain = beforeDrain
    }

    public func run() async throws {
        let transport = try makeTransport()
        let server = GRPCServer(transport: transport, services: services, interceptors: interceptors)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                _ = try await transport.listeningAddress
                if case .path(let path) = listener {
                    try SocketFile.restrict(path)
                }
                await whenListening()
            }
        } onGracefulShutdown: {
            beforeDrain()
            server.beginGracefulShutdown()
        }
    }

    private func makeTransport() throws -> HTTP2ServerTransport.Posix {
        let limits = self.limits
        let connections = ConnectionLimit(
            limit: limits.connections,
            silence: limits.idleConnectionTimeout,
            logger: logger
        )
        let config = HTTP2ServerTransport.Posix.Config.defaults { config in
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
        switch listener {
        case .path(let path):
            try SocketFile.ensureNotServed(path)
            return HTTP2ServerTransport.Posix(
                address: .unixDomainSocket(path: path),
                transportSecurity: .plaintext,
                config: config
            )
        case .inherited(let descriptor, _):
            return HTTP2ServerTransport.Posix(
                listeningSocketDescriptor: Int(descriptor),
                transportSecurity: .plaintext,
                config: config
            )
        }
    }
}

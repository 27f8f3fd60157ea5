import Logging
import NIOCore
import Synchronization

/// Guards each accepted connection: closes those beyond `limits.connections` at once (each holds
/// buffers and a file descriptor), and closes a connection whose client has sent nothing for
/// `limits.idle_connection_timeout`.
///
/// The transport sends keepalive PINGs at half that timeout, and every real HTTP/2 client answers
/// them, so a live client — even one waiting on a long streaming answer — is always heard from in
/// time. The transport's own idle and keepalive handling ends in a graceful GOAWAY that waits for
/// the client's PING acknowledgement: a client that never answers kept its connection for ever.
final class ConnectionLimit: Sendable {
    private let open = Atomic<Int>(0)
    let limit: Int
    let silence: Duration
    private let logger: Logger

    init(limit: Int, silence: Duration, logger: Logger) {
        self.limit = limit
        self.silence = silence
        self.logger = logger
    }

    /// The transport's `onAcceptTCPConnection` callback.
    @Sendable func admit(_ channel: any Channel) -> EventLoopFuture<Void> {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        channel.closeFuture.whenComplete { _ in self.open.wrappingSubtract(1, ordering: .relaxed) }
        guard now <= limit else {
            logger.warning(
                "refused a connection: too many open",
                metadata: ["open": "\(now - 1)", "limit": "\(limit)", "setting": "limits.connections"]
            )
            channel.close(promise: nil)
            return channel.eventLoop.makeSucceededVoidFuture()
        }
        let timeout = TimeAmount.nanoseconds(
            silence.components.seconds * 1_000_000_000 + silence.components.attoseconds / 1_000_000_000
        )
        let logger = self.logger
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers(
                [IdleStateHandler(readTimeout: timeout), SilentPeerCloser(logger: logger)],
                position: .first
            )
        }
    }
}

/// Closes the connection when ``IdleStateHandler`` reports that nothing was read for its timeout.
private final class SilentPeerCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? IdleStateHandler.IdleStateEvent, event == .read {
            logger.info(
                "closed a connection whose client sent nothing, not even a PING acknowledgement",
                metadata: ["setting": "limits.idle_connection_timeout"]
            )
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

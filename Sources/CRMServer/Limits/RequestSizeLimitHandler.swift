import NIOCore
import NIOHPACK
import NIOHTTP2

/// Answers a request message larger than `limits.request_bytes` with RESOURCE_EXHAUSTED as soon
/// as its gRPC length prefix arrives, before any of it is buffered.
///
/// The transport's own `maxRequestPayloadSize` only resets the stream (the client sees CANCELLED
/// and cannot tell why). This handler sits first in every stream's pipeline, follows the
/// length-prefixed messages through the DATA frames, and on an oversized one sends the status as
/// trailers and resets the stream with NO_ERROR; the call behind it is cancelled.
///
/// It also ends streams whose call is over while the client is still sending (an import refused on
/// its first message): the trailers are followed by RST_STREAM(NO_ERROR), as the gRPC HTTP/2
/// protocol says. Without it clients reset those streams themselves, and HTTP/2's rapid-reset
/// protection answered a busy importing client with GOAWAY(ENHANCE_YOUR_CALM).
final class RequestSizeLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTP2Frame.FramePayload
    typealias OutboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let limit: Int
    /// The bytes of the 5-byte prefix (flags, big-endian length) of the next message seen so far.
    private var prefix: [UInt8] = []
    /// Payload bytes of the current message still to pass.
    private var remaining = 0
    private var refused = false
    /// Whether the response's headers went out already: then the status goes in trailers alone.
    private var responseStarted = false
    /// Whether the client half-closed the stream (its last DATA or HEADERS had END_STREAM).
    private var requestEnded = false

    init(limit: Int) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        switch unwrapInboundIn(data) {
        case .data(let frame) where frame.endStream: requestEnded = true
        case .headers(let headers) where headers.endStream: requestEnded = true
        default: break
        }
        guard case .data(let frame) = unwrapInboundIn(data), case .byteBuffer(let buffer) = frame.data else {
            context.fireChannelRead(data)
            return
        }
        if let length = oversizedMessage(in: buffer) {
            refuse(context: context, length: length)
            return
        }
        context.fireChannelRead(data)
    }

    /// Follows the message boundaries through `buffer`; the declared length of the first message
    /// over the limit, if any.
    private func oversizedMessage(in buffer: ByteBuffer) -> Int? {
        var view = buffer.readableBytesView[...]
        while !view.isEmpty {
            if remaining > 0 {
                let skip = min(remaining, view.count)
                view = view.dropFirst(skip)
                remaining -= skip
                continue
            }
            let take = min(5 - prefix.count, view.count)
            prefix += view.prefix(take)
            view = view.dropFirst(take)
            if prefix.count == 5 {
                let length = prefix[1...4].reduce(0) { $0 << 8 | Int($1) }
                prefix.removeAll(keepingCapacity: true)
                if length > limit { return length }
                remaining = length
            }
        }
        return nil
    }

    private func refuse(context: ChannelHandlerContext, length: Int) {
        refused = true
        var headers = HPACKHeaders()
        if !responseStarted {
            headers.add(name: ":status", value: "200")
            headers.add(name: "content-type", value: "application/grpc")
        }
        headers.add(name: "grpc-status", value: "8")
        // ASCII only: grpc-message is percent-encoded text, and this needs no encoding.
        headers.add(
            name: "grpc-message",
            value:
                "request message of \(length) bytes is larger than the limit of \(limit) bytes (limits.request_bytes)"
        )
        // Trailers, then RST_STREAM(NO_ERROR) so that the client stops sending: the stream is then closed
        // on both sides, its channel closes and the call behind it is cancelled. Closing the channel
        // ourselves would reset with CANCEL, which clients report as CANCELLED instead of the status.
        context.write(wrapOutboundOut(.headers(.init(headers: headers, endStream: true))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.rstStream(.noError)), promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if refused {
            // The call's own answer, after ours: the stream is done.
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        guard case .headers(let headers) = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        responseStarted = true
        context.write(data, promise: promise)
        if headers.endStream && !requestEnded {
            // The call is over (its trailers are out) while the client is still sending: tell it to stop
            // with RST_STREAM(NO_ERROR), as the gRPC HTTP/2 protocol says, instead of leaving its data to
            // fill the connection's flow-control window.
            refused = true
            context.write(wrapOutboundOut(.rstStream(.noError)), promise: nil)
        }
    }
}

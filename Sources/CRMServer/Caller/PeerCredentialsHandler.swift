import CRMCore
import Glibc
import NIOCore
import NIOHTTP2

/// Puts the peer's Unix credentials into the request headers of each HTTP/2
/// stream, where ``CallerInterceptor`` reads them.
///
/// It sits first in every stream's pipeline, so it sees the request headers
/// before gRPC does, and it removes any header of the same names that the
/// client sent: the values can only come from the kernel.
final class PeerCredentialsHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTP2Frame.FramePayload

    static let uidKey = "crmd-peer-uid"
    static let gidKey = "crmd-peer-gid"
    static let pidKey = "crmd-peer-pid"
    static let executableKey = "crmd-peer-exe"

    private let credentials: PeerCredentials?
    /// `/proc/PID/exe` of the peer, read with its credentials, for the change log.
    private let executable: String

    init(credentials: PeerCredentials?) {
        self.credentials = credentials
        self.executable = credentials.map { ChangeActor.executable(of: $0.pid) } ?? ""
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .headers(var headers) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        for key in [Self.uidKey, Self.gidKey, Self.pidKey, Self.executableKey] {
            headers.headers.remove(name: key)
        }
        if let credentials {
            headers.headers.add(name: Self.uidKey, value: String(credentials.uid))
            headers.headers.add(name: Self.gidKey, value: String(credentials.gid))
            headers.headers.add(name: Self.pidKey, value: String(credentials.pid))
            headers.headers.add(name: Self.executableKey, value: executable)
        }
        context.fireChannelRead(wrapInboundOut(.headers(headers)))
    }

    /// Reads the credentials of the connection `streamChannel` belongs to and
    /// installs the handler first in the stream's pipeline.
    static func install(on streamChannel: any Channel) -> EventLoopFuture<Void> {
        guard let connection = streamChannel.parent as? any SocketOptionProvider else {
            return streamChannel.eventLoop.makeCompletedFuture {
                try streamChannel.pipeline.syncOperations.addHandler(
                    PeerCredentialsHandler(credentials: nil),
                    position: .first
                )
            }
        }
        let read: EventLoopFuture<PeerCredentials> = connection.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET),
            name: SocketOptionName(SO_PEERCRED)
        )
        return read.map { Optional($0) }
            .recover { _ -> PeerCredentials? in nil }
            .flatMap { credentials in
                streamChannel.eventLoop.makeCompletedFuture {
                    try streamChannel.pipeline.syncOperations.addHandler(
                        PeerCredentialsHandler(credentials: credentials),
                        position: .first
                    )
                }
            }
    }
}

/// The kernel's `struct ucred` (Linux), which Swift's Glibc module does not export.
struct PeerCredentials: Sendable {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32
}

import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// The connection to crmd over its Unix socket.
enum Daemon {
    typealias Transport = HTTP2ClientTransport.Posix

    /// Runs `body` with a client connected to crmd, and closes it afterwards.
    ///
    /// Checks first that the socket exists, to say so plainly rather than let the transport
    /// retry. Errors from crmd become ``CommandError``s.
    /// - Parameters:
    ///   - options: the shared flags; their socket path is used.
    ///   - body: the calls to make.
    static func withClient<Result: Sendable>(
        _ options: ClientOptions,
        _ body: (GRPCClient<Transport>) async throws -> Result
    ) async throws -> Result {
        let path = options.socketPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandError.noSocket(path)
        }
        do {
            return try await withGRPCClient(
                transport: .http2NIOPosix(
                    target: .unixDomainSocket(path: path),
                    transportSecurity: .plaintext
                )
            ) { client in
                try await body(client)
            }
        } catch let error as RPCError {
            throw CommandError(rpcError: error, socket: path)
        }
    }
}

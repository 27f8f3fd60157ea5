import CRMCore
import Glibc

/// Checks on the Unix socket file before and after binding.
enum SocketFile {
    /// Refuses to start when another process is serving on `path`; a stale
    /// file left by a process that died is fine (the transport replaces it).
    static func ensureNotServed(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw CRMError(.failedPrecondition, "\(path) exists and is not a socket; refusing to replace it")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw CRMError(
                .invalidArgument,
                "socket path \(path) is longer than \(MemoryLayout.size(ofValue: address.sun_path) - 1) bytes"
            )
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected == 0 {
            throw CRMError(.failedPrecondition, "another process is already serving on \(path)")
        }
    }

    /// Sets the socket's mode: owner and group may connect, nobody else.
    static func restrict(_ path: String, mode: mode_t = 0o660) throws {
        guard chmod(path, mode) == 0 else {
            throw CRMError(.internalError, "cannot set the mode of \(path)", cause: String(cString: strerror(errno)))
        }
    }
}

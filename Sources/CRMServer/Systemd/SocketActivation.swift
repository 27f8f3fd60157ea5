import CSystemd
import Glibc

/// The listening socket systemd passes when the daemon is socket-activated
/// (`LISTEN_FDS`, `LISTEN_PID`, `LISTEN_FDNAMES`; `sd_listen_fds(3)`).
public enum SocketActivation {
    /// The descriptor named `name` (`FileDescriptorName=` in the socket
    /// unit), or the only one passed when it carries no name. The variables
    /// are removed from the environment so that children do not inherit them.
    /// - Returns: nil when the daemon was not socket-activated.
    public static func listeningDescriptor(named name: String) throws -> Int32? {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = sd_listen_fds_with_names(1, &names)
        guard count > 0 else {
            if count < 0 {
                throw SocketActivationError(message: "cannot read LISTEN_FDS: \(String(cString: strerror(-count)))")
            }
            return nil
        }
        defer {
            if let names {
                for index in 0..<Int(count) { free(names[index]) }
                free(names)
            }
        }
        let passed = (0..<Int(count)).map { index in names?[index].map { String(cString: $0) } ?? "unknown" }
        let descriptor: Int32
        if let index = passed.firstIndex(of: name) {
            descriptor = SD_LISTEN_FDS_START + Int32(index)
        } else if count == 1 {
            descriptor = SD_LISTEN_FDS_START
        } else {
            throw SocketActivationError(
                message: "systemd passed \(count) sockets (\(passed.joined(separator: ", "))) and none is named \(name)"
            )
        }
        guard sd_is_socket_unix(descriptor, SOCK_STREAM_VALUE, 1, nil, 0) > 0 else {
            throw SocketActivationError(
                message: "the socket systemd passed (fd \(descriptor)) is not a listening Unix stream socket"
            )
        }
        return descriptor
    }

    private static let SOCK_STREAM_VALUE = Int32(SOCK_STREAM.rawValue)
}

public struct SocketActivationError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

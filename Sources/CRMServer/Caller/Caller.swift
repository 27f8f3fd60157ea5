/// Who is calling: the Unix credentials of the process at the other end of
/// the connection, as the kernel reports them (`SO_PEERCRED`).
///
/// The credentials are read from the socket, never from what the client
/// sends, so they can be trusted for access control and the audit log.
public struct Caller: Sendable, Hashable, CustomStringConvertible {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    /// `/proc/PID/exe` when the connection was made; empty when the kernel did not let crmd read it.
    public var executable: String

    public init(uid: UInt32, gid: UInt32, pid: Int32, executable: String = "") {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.executable = executable
    }

    /// The caller of the RPC being served, set by ``CallerInterceptor``.
    @TaskLocal public static var current: Caller?

    public var description: String { "uid=\(uid) gid=\(gid) pid=\(pid)" }
}

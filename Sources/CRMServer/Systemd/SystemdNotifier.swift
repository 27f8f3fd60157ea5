import CSystemd
import Glibc

/// Tells the service manager how the daemon is doing (`sd_notify(3)`):
/// READY, STATUS, RELOADING, STOPPING and watchdog pings.
///
/// Without systemd (`NOTIFY_SOCKET` unset) every call does nothing, so the
/// daemon behaves the same in both worlds.
public struct SystemdNotifier: Sendable {
    public init() {}

    /// Whether a service manager listens (`NOTIFY_SOCKET` is set).
    public var isActive: Bool { getenv("NOTIFY_SOCKET") != nil }

    /// The daemon serves: the database is migrated and the socket accepts calls.
    public func ready(status: String) {
        send("READY=1\nSTATUS=\(status)\nMAINPID=\(getpid())")
    }

    /// A line a person reads in `systemctl status`.
    public func status(_ text: String) {
        send("STATUS=\(text)")
    }

    /// A reload of configuration starts (`ExecReload`, SIGHUP); ``ready(status:)`` ends it.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        send("RELOADING=1\nMONOTONIC_USEC=\(microseconds)\nSTATUS=reloading configuration")
    }

    public func stopping() {
        send("STOPPING=1\nSTATUS=stopping: draining in-flight calls")
    }

    /// Proof of life; send only when the daemon really is healthy.
    public func watchdog() {
        send("WATCHDOG=1")
    }

    /// The watchdog interval the manager expects pings within, if it set one
    /// (`WATCHDOG_USEC`, for this process per `WATCHDOG_PID`).
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    private func send(_ state: String) {
        _ = sd_notify(0, state)
    }
}

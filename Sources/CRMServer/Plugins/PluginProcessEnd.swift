#if canImport(Glibc)
import Glibc
#endif

/// How a plugin-host process ended: its wait status, and why crmd killed it if it did.
struct PluginProcessEnd: Sendable, CustomStringConvertible {
    /// Why crmd sent SIGKILL.
    enum Kill: Sendable, Equatable {
        /// A step of loading (`what`: "init", "describe"…) took longer than its timeout.
        case timeout(what: String, after: Duration)
        /// The call was cancelled and had not ended `after` the CANCEL frame.
        case cancelled(after: Duration)
        /// crmd is stopping and the process had not ended after its STOP frame.
        case stopping
        /// The process broke the frame protocol (or closed its socket and went on living).
        case protocolError(String)
    }

    enum Status: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Reaped by someone else (SIGCHLD ignored), or never started.
        case unknown
    }

    var status: Status
    var kill: Kill?

    init(waitStatus: Int32?, kill: Kill?) {
        self.kill = kill
        guard let raw = waitStatus else {
            status = .unknown
            return
        }
        // WIFEXITED / WTERMSIG, which Swift does not import (they are macros).
        let signal = raw & 0x7F
        if signal == 0 {
            status = .exited((raw >> 8) & 0xFF)
        } else if signal != 0x7F {
            status = .signalled(signal)
        } else {
            status = .unknown
        }
    }

    /// "SIGSEGV", "exit status 3": what goes between the parentheses of "crashed (…)".
    var description: String {
        switch status {
        case .exited(let code): "exit status \(code)"
        case .signalled(let signal): Self.signalName(signal)
        case .unknown: "status unknown"
        }
    }

    /// Whether the process stopped the way a STOP frame asks (exit status 0).
    var isClean: Bool { status == .exited(0) && kill == nil }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGHUP: "SIGHUP"
        case SIGINT: "SIGINT"
        case SIGQUIT: "SIGQUIT"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGKILL: "SIGKILL"
        case SIGUSR1: "SIGUSR1"
        case SIGSEGV: "SIGSEGV"
        case SIGUSR2: "SIGUSR2"
        case SIGPIPE: "SIGPIPE"
        case SIGALRM: "SIGALRM"
        case SIGTERM: "SIGTERM"
        case SIGXCPU: "SIGXCPU"
        case SIGXFSZ: "SIGXFSZ"
        case SIGSYS: "SIGSYS"
        default: "signal \(signal)"
        }
    }
}

/// "10 s", "1.5 s", "250 ms": a duration in configuration and messages.
func describeDuration(_ duration: Duration) -> String {
    let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    if milliseconds < 1000 { return "\(milliseconds) ms" }
    if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
    return "\(Double(milliseconds) / 1000) s"
}
